"""The service's own date formats (settings.FORMAT_MODULE_PATH): dates read dd.mm.yyyy in every language.

Django's own locale formats differ by language ("5 декабря 2026 г." in Russian, "Dec. 5, 2026" in English,
nothing at all for Kazakh) and the issue asks for one way of writing a date in the whole interface, the one
Kazakhstan's official documents use. Each language's module takes the shared values from `common`; what a
module does not name (month names, number separators) still comes from Django's locale for that language.
`<input type="date">` keeps sending ISO dates, which every DateField also accepts.
"""
