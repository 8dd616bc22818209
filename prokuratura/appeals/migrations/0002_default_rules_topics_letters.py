"""Defaults for the appeal rules (each citing its source), the topic taxonomy and the letter templates.

Administrators edit all three in the UI afterwards; this migration only creates rows that do not exist yet.
The APPC is the Administrative Procedural and Process Code of the Republic of Kazakhstan of 29 June 2020
No. 350-VI, in force since 1 July 2021.
"""

from django.db import migrations

RULES = [
    ("registration_cutoff_hour", 18, "hour", "Appeals received at or after this hour are registered on the next working day", "APPC art. 64; registration rules approved by Prosecutor General's Order No. 70 of 19 May 2021 (under APPC art. 69 p. 3)"),
    ("review_working_days", 15, "working days", "Time limit for considering an appeal, from registration", "APPC art. 76 p. 1"),
    ("extension_max_months", 2, "months", "A head may extend the term to a reasonable one of at most this many months in total", "APPC art. 76 p. 2"),
    ("extension_notice_working_days", 3, "working days", "The applicant is told of an extension within this many working days of the decision", "APPC art. 76 p. 2"),
    ("forwarding_working_days", 3, "working days", "An appeal outside the office's competence is forwarded to the competent body within this many working days", "APPC art. 65"),
    ("complaint_filing_months", 3, "months", "A complaint about a decision is filed within this many months of the day the applicant learned of it", "APPC art. 91 p. 2"),
    ("repeat_lookback_months", 24, "months", "An answered appeal of the same applicant on the same matter this recent makes a new one repeated", "Service setting (APPC art. 89: repeated appeals)"),
    ("attachment_max_mb", 10, "MB", "Largest attachment accepted", "Service setting"),
    ("attachment_max_count", 5, "files", "Most attachments to one appeal at intake", "Service setting"),
    ("reminder_working_days", 3, "working days", "Reminders go out for appeals due within this many working days", "Service setting"),
]

TOPICS = [
    ("labour", "Еңбек қатынастары", "Трудовые отношения", "Labour"),
    ("social", "Әлеуметтік қамсыздандыру және зейнетақы", "Социальное обеспечение и пенсии", "Social security and pensions"),
    ("housing", "Тұрғын үй", "Жилищные вопросы", "Housing"),
    ("land", "Жер қатынастары", "Земельные отношения", "Land"),
    ("business", "Кәсіпкерлердің құқықтары", "Права предпринимателей", "Entrepreneurs' rights"),
    ("criminal_procedure", "Қылмыстық процесс", "Уголовный процесс", "Criminal procedure"),
    ("detention", "Ұстау және қатыгездік", "Содержание под стражей и жестокое обращение", "Detention and ill-treatment"),
    ("property", "Меншік", "Имущественные права", "Property"),
    ("family", "Отбасы және балалар", "Семья и дети", "Family and children"),
    ("healthcare", "Денсаулық сақтау", "Здравоохранение", "Healthcare"),
    ("education", "Білім беру", "Образование", "Education"),
    ("environment", "Экология", "Экология", "Environment"),
    ("corruption", "Сыбайлас жемқорлық", "Коррупция", "Corruption"),
    ("other", "Басқа", "Иное", "Other"),
]

# Bodies are Django templates rendered with `appeal`, `office`, `today`, `signer`, `rules` in context.
LETTERS = {
    ("receipt", "ru"): (
        "Талон о регистрации обращения № {{ appeal.reg_number }}",
        "Ваше обращение зарегистрировано {{ appeal.registered_on|date:'d.m.Y' }} под № {{ appeal.reg_number }}.\n"
        "Код для отслеживания: {{ appeal.tracking_code }}.\n"
        "Срок рассмотрения — до {{ appeal.due_date|date:'d.m.Y' }} ({{ rules.review_working_days }} рабочих дней, ст. 76 АППК РК).",
    ),
    ("receipt", "kk"): (
        "№ {{ appeal.reg_number }} өтінішті тіркеу туралы талон",
        "Сіздің өтінішіңіз {{ appeal.registered_on|date:'d.m.Y' }} № {{ appeal.reg_number }} болып тіркелді.\n"
        "Бақылау коды: {{ appeal.tracking_code }}.\n"
        "Қарау мерзімі — {{ appeal.due_date|date:'d.m.Y' }} дейін ({{ rules.review_working_days }} жұмыс күні, ҚР ӘРПК 76-бабы).",
    ),
    ("receipt", "en"): (
        "Receipt for appeal No. {{ appeal.reg_number }}",
        "Your appeal was registered on {{ appeal.registered_on|date:'d.m.Y' }} as No. {{ appeal.reg_number }}.\n"
        "Tracking code: {{ appeal.tracking_code }}.\n"
        "It will be considered by {{ appeal.due_date|date:'d.m.Y' }} ({{ rules.review_working_days }} working days, APPC art. 76).",
    ),
    ("answer", "ru"): (
        "Ответ на обращение № {{ appeal.reg_number }}",
        "Уважаемый(ая) {{ appeal.applicant_name|default:'заявитель' }}!\n\n"
        "Ваше обращение от {{ appeal.registered_on|date:'d.m.Y' }} № {{ appeal.reg_number }} рассмотрено.\n\n"
        "{{ appeal.answer_text }}\n\n"
        "Решение: {{ appeal.get_outcome_display }}.\n\n"
        "В соответствии со ст. 91 АППК РК вы вправе обжаловать настоящее решение вышестоящему органу "
        "или в суд.",
    ),
    ("answer", "kk"): (
        "№ {{ appeal.reg_number }} өтінішке жауап",
        "Құрметті {{ appeal.applicant_name|default:'өтініш беруші' }}!\n\n"
        "Сіздің {{ appeal.registered_on|date:'d.m.Y' }} № {{ appeal.reg_number }} өтінішіңіз қаралды.\n\n"
        "{{ appeal.answer_text }}\n\n"
        "Шешім: {{ appeal.get_outcome_display }}.\n\n"
        "ҚР ӘРПК 91-бабына сәйкес сіз осы шешімге жоғары тұрған органға немесе сотқа шағым жасауға "
        "құқылысыз.",
    ),
    ("answer", "en"): (
        "Answer to appeal No. {{ appeal.reg_number }}",
        "Dear {{ appeal.applicant_name|default:'applicant' }},\n\n"
        "Your appeal No. {{ appeal.reg_number }} of {{ appeal.registered_on|date:'d.m.Y' }} has been "
        "considered.\n\n"
        "{{ appeal.answer_text }}\n\n"
        "Decision: {{ appeal.get_outcome_display }}.\n\n"
        "Under APPC art. 91 you may appeal this decision to a higher body or to a court.",
    ),
    ("extension", "ru"): (
        "О продлении срока рассмотрения обращения № {{ appeal.reg_number }}",
        "Срок рассмотрения вашего обращения № {{ appeal.reg_number }} продлён до "
        "{{ appeal.extended_until|date:'d.m.Y' }} (ст. 76 АППК РК).\n\n"
        "Основание: {{ appeal.extension_reason }}",
    ),
    ("extension", "kk"): (
        "№ {{ appeal.reg_number }} өтінішті қарау мерзімін ұзарту туралы",
        "Сіздің № {{ appeal.reg_number }} өтінішіңізді қарау мерзімі "
        "{{ appeal.extended_until|date:'d.m.Y' }} дейін ұзартылды (ҚР ӘРПК 76-бабы).\n\n"
        "Негіздеме: {{ appeal.extension_reason }}",
    ),
    ("extension", "en"): (
        "Extension of the term for appeal No. {{ appeal.reg_number }}",
        "The term for considering your appeal No. {{ appeal.reg_number }} has been extended until "
        "{{ appeal.extended_until|date:'d.m.Y' }} (APPC art. 76).\n\nReason: {{ appeal.extension_reason }}",
    ),
    ("forwarding", "ru"): (
        "О направлении обращения № {{ appeal.reg_number }} по компетенции",
        "Ваше обращение № {{ appeal.reg_number }} направлено по компетенции в {{ appeal.forwarded_to }} "
        "{{ appeal.forwarded_on|date:'d.m.Y' }} (ст. 65 АППК РК).",
    ),
    ("forwarding", "kk"): (
        "№ {{ appeal.reg_number }} өтінішті құзыреті бойынша жіберу туралы",
        "Сіздің № {{ appeal.reg_number }} өтінішіңіз {{ appeal.forwarded_on|date:'d.m.Y' }} құзыреті бойынша "
        "{{ appeal.forwarded_to }} жіберілді (ҚР ӘРПК 65-бабы).",
    ),
    ("forwarding", "en"): (
        "Appeal No. {{ appeal.reg_number }} forwarded to the competent body",
        "Your appeal No. {{ appeal.reg_number }} was forwarded on {{ appeal.forwarded_on|date:'d.m.Y' }} to "
        "{{ appeal.forwarded_to }}, the body competent to consider it (APPC art. 65).",
    ),
}


def load(apps, schema_editor):
    AppealRule = apps.get_model("appeals", "AppealRule")
    Topic = apps.get_model("appeals", "Topic")
    LetterTemplate = apps.get_model("appeals", "LetterTemplate")
    for code, value, unit, description, source in RULES:
        AppealRule.objects.get_or_create(
            code=code,
            defaults={"value": value, "unit": unit, "description": description, "legal_source": source},
        )
    for order, (code, kk, ru, en) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "ordering": order * 10}
        )
    for (kind, language), (subject, body) in LETTERS.items():
        LetterTemplate.objects.get_or_create(
            kind=kind, language=language, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
