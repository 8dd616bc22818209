"""What the Open311 tests share besides fixtures: URLs, the spec's own example POST body, a complete submission."""

from django.urls import reverse

# The POST example of the GeoReport v2 spec ("Example Request"), byte for byte, with only the service code and the
# api_key to fill in. Its two attributes (WHISPAWN, WHISDORN) are the city's, not ours: they are ignored.
SPEC_EXAMPLE_BODY = (
    "api_key={api_key}&jurisdiction_id=city.gov&service_code={service_code}&lat=37.76524078&long=-122.4212043"
    "&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111&account_id=123456"
    "&first_name=john&last_name=smith&phone=111111111&description=A+large+sinkhole+is+destroying+the+street"
    "&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg"
    "&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001"
)
FORM = "application/x-www-form-urlencoded; charset=utf-8"


def url(name, fmt="json", **kwargs):
    return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})


def our_attributes(offices, **overrides):
    """What our service definition requires on top of the spec's fields, as form fields."""
    values = {
        "attribute[region]": offices.astana.region.kato_code,
        "attribute[kind]": "complaint",
        "attribute[consent_personal_data]": "yes",
    }
    values.update(overrides)
    return values


def submission(app, offices, service_code="labour", **overrides):
    """A complete form body in Kazakh, as a citizen's app would send it."""
    values = {
        "api_key": app.api_key,
        "service_code": service_code,
        "first_name": "Қанат",
        "last_name": "Әлиев",
        "email": "kanat@example.kz",
        "phone": "+7 701 000 00 00",
        "description": "Үш ай бойы жалақы төленбей келеді.\nЖұмыс беруші жауап бермейді.",
        "address_string": "Астана, Сарыарқа ауданы",
        "lat": "51.1694",
        "long": "71.4491",
        **our_attributes(offices),
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}
