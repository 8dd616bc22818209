"""The press-release import: the text of a news item or press release (pasted or uploaded: .txt, .html, .docx)
becomes a draft event to review — date, place, kind, title, the organisations, states and officials named, the
topics and every figure stated with its subject, each with the sentence it came from.

Rule-based and offline: `text` gets clean text out of the input, `gazetteer` matches the reference data's names
(counterparts, countries with `relations_state_forms.csv`, places, topic keywords) in kk/ru/en with Russian and
Kazakh endings tolerated, `extract` builds the draft, `evaluate` measures precision and recall on the test corpus
(`manage.py press_evaluate`). Nothing here writes to the database: the officer confirms the draft on the review
page, which records the event through `services.event_record`. See docs/PRESS_IMPORT.md.
"""
