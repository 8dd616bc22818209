"""What the demo of international relations (`relations.demo`) is made of: the counterparts and topics it names (by
the codes of the reference data, with the other spellings tried when a code is missing), the partner states, the
recurring meetings and visits of a year, the dated events (the real treaty signings of the register, the OSCE
ambassadors' familiarisation visit), the joint projects and the recommendations.

Titles, summaries and outcomes are written as an officer of the international department would write them, in
Russian, and in English where the partner works in English (the OSCE, the UN, the EU). Names of persons are
invented. The recommendations of the UN special procedures belong to the real visits `load_relations` loads
(found by the first day of the visit); their wording summarises the reports' themes and is not a quotation.
"""

from __future__ import annotations

from typing import NamedTuple

# --- reference rows: a key of this demo → the codes (or short forms) it is found by, first found wins ----------

COUNTERPARTS: dict[str, tuple[str, ...]] = {
    "un": ("un", "UN"),
    "ohchr": ("ohchr", "un-ohchr", "OHCHR"),
    "ohchr_roca": ("ohchr-roca", "ohchr-central-asia", "un-ohchr-roca", "OHCHR ROCA"),
    "unodc": ("unodc", "un-unodc", "UNODC"),
    "unodc_pokaz": ("unodc-pokaz", "unodc-roca", "unodc-central-asia", "unodc-kz", "unodc"),
    "undp": ("undp", "undp-kz", "un-undp", "UNDP"),
    "unicef": ("unicef", "unicef-kz", "UNICEF"),
    "upr": ("upr", "hrc-upr", "un-upr", "UPR"),
    "cat": ("cat", "un-cat", "CAT"),
    "ccpr": ("ccpr", "hrcttee", "un-ccpr", "human-rights-committee", "CCPR"),
    "osce": ("osce", "OSCE"),
    "osce_poa": ("osce-poa", "osce-po-astana", "osce-programme-office-astana", "osce-astana", "OSCE POA"),
    "odihr": ("odihr", "osce-odihr", "ODIHR"),
    "coe": ("coe", "council-of-europe", "CoE"),
    "greco": ("greco", "coe-greco", "GRECO"),
    "venice": ("venice-commission", "coe-venice-commission", "coe-venice", "Venice Commission"),
    "sco": ("sco", "SCO"),
    "sco_rats": ("sco-rats", "rats", "SCO RATS", "RATS"),
    "sco_prosecutors": ("sco-prosecutors", "sco"),
    "cis": ("cis", "CIS"),
    "cis_ccpg": ("cis-ccpg", "cis-prosecutors-council", "cis-coordination-council", "CCPG CIS"),
    "eu": ("eu", "EU"),
    "eu_delegation": ("eu-delegation-kz", "eu-delegation", "eu-kz", "EU Delegation"),
    "interpol": ("interpol", "INTERPOL"),
    "eurojust": ("eurojust", "Eurojust"),
    "fatf": ("fatf", "FATF"),
    "eag": ("eag", "fatf-eag", "EAG"),
    "iap": ("iap", "IAP"),
    # Kazakh state bodies (the responsible bodies of recommendations, the domestic participants).
    "gpo": ("gpo", "kz-gpo", "gpo-kz", "prosecutor-general", "GPO"),
    "knb_atc": ("knb-atc", "kz-knb-atc", "nsc-atc", "atc", "ATC"),
    "knb": ("knb", "kz-knb", "nsc", "NSC"),
    "aca": ("anticorruption", "aca", "kz-aca", "anti-corruption-agency", "ACA"),
    "src": ("kgd", "src", "kz-src", "kz-kgd", "state-revenue-committee", "SRC"),
    "afm": ("afm", "kz-afm", "financial-monitoring-agency", "FMA"),
    "mvd": ("mvd", "kz-mvd", "mia", "interior-ministry", "MIA"),
    "minjust": ("moj-kz", "minjust", "kz-moj", "moj", "MoJ"),
    "mfa": ("mfa-kz", "mfa", "kz-mfa", "MFA"),
    "supreme_court": ("supreme-court", "kz-supreme-court", "vs", "Supreme Court"),
    "ombudsman": ("ombudsman", "kz-ombudsman", "human-rights-commissioner", "Ombudsman"),
    "cec": ("cec", "kz-cec", "CEC"),
}

TOPICS: dict[str, tuple[str, ...]] = {
    "terrorism": ("terrorism", "counter-terrorism"),
    "extremism": ("extremism", "violent-extremism"),
    "drugs": ("drug-trafficking", "drugs", "narcotics"),
    "cybercrime": ("cybercrime", "cyber"),
    "corruption": ("corruption", "anti-corruption"),
    "money_laundering": ("money-laundering", "aml"),
    "trafficking": ("human-trafficking", "trafficking-in-persons", "trafficking"),
    "organised_crime": ("transnational-organised-crime", "organised-crime", "organized-crime"),
    "asset_recovery": ("asset-recovery", "assets"),
    "migration": ("migrant-smuggling", "migration", "illegal-migration"),
    "torture": ("torture", "torture-prevention", "prevention-of-torture"),
    "fair_trial": ("fair-trial", "independence-of-judiciary", "justice"),
    "assembly": ("freedom-of-assembly", "assembly", "freedom-of-association"),
    "religion": ("freedom-of-religion", "religion"),
    "expression": ("freedom-of-expression", "expression", "media"),
    "children": ("children", "rights-of-the-child", "juvenile-justice"),
    "women": ("women-gender-violence", "domestic-violence", "gender", "violence-against-women"),
    "disability": ("disability", "persons-with-disabilities"),
    "detention": ("detention-conditions", "detention", "places-of-detention"),
    "elections": ("elections", "electoral-rights"),
    "legal_assistance": ("mutual-legal-assistance", "legal-assistance", "mla"),
    "extradition": ("extradition",),
    "training": ("training", "capacity-building"),
}

# --- partner states ----------------------------------------------------------------------------------------------


class State(NamedTuple):
    gen: str  # the state's name after "посол", "делегация" (Russian genitive)
    ambassador: str  # invented names
    prosecutor: str  # the head of the partner's prosecution service (invented) and his or her title
    prosecutor_title: str
    city: str


STATES: dict[str, State] = {
    "RU": State("Российской Федерации", "А. Воронцов", "И. Белов", "Заместитель Генерального прокурора Российской Федерации", "Москва"),
    "CN": State("Китайской Народной Республики", "Ч. Лян", "В. Сюй", "Заместитель Генерального прокурора Верховной народной прокуратуры КНР", "Пекин"),
    "UZ": State("Республики Узбекистан", "Б. Рахимов", "Ш. Алиев", "Первый заместитель Генерального прокурора Республики Узбекистан", "Ташкент"),
    "KG": State("Кыргызской Республики", "Т. Асанов", "Н. Токтосунов", "Заместитель Генерального прокурора Кыргызской Республики", "Бишкек"),
    "TJ": State("Республики Таджикистан", "Ф. Назаров", "Д. Каримов", "Заместитель Генерального прокурора Республики Таджикистан", "Душанбе"),
    "TR": State("Турецкой Республики", "М. Йылдыз", "А. Демир", "Заместитель министра юстиции Турецкой Республики", "Анкара"),
    "AE": State("Объединённых Арабских Эмиратов", "Х. Аль-Мансури", "С. Аль-Хашими", "Генеральный прокурор Эмирата Абу-Даби", "Абу-Даби"),
    "US": State("Соединённых Штатов Америки", "Д. Коллинз", "М. Харрис", "Директор Управления международных дел Министерства юстиции США", "Вашингтон"),
    "GB": State("Соединённого Королевства", "Э. Уилсон", "К. Тейлор", "Руководитель международного отдела Королевской прокурорской службы", "Лондон"),
    "DE": State("Федеративной Республики Германия", "Ф. Беккер", "Т. Шмидт", "Генеральный прокурор земли Берлин", "Берлин"),
    "FR": State("Французской Республики", "Л. Мартен", "П. Дюбуа", "Генеральный прокурор при апелляционном суде Парижа", "Париж"),
    "IT": State("Итальянской Республики", "Дж. Росси", "Л. Бьянки", "Заместитель Генерального прокурора Итальянской Республики", "Рим"),
    "KR": State("Республики Корея", "Ким Дж.", "Пак С.", "Заместитель Генерального прокурора Республики Корея", "Сеул"),
    "HU": State("Венгрии", "Л. Надь", "Ж. Ковач", "Заместитель Генерального прокурора Венгрии", "Будапешт"),
    "AZ": State("Азербайджанской Республики", "Э. Гасанов", "Р. Мамедов", "Заместитель Генерального прокурора Азербайджанской Республики", "Баку"),
    "BY": State("Республики Беларусь", "С. Ковалёв", "А. Шведов", "Заместитель Генерального прокурора Республики Беларусь", "Минск"),
    "QA": State("Государства Катар", "А. Аль-Тани", "Х. Аль-Марри", "Генеральный прокурор Государства Катар", "Доха"),
    "CY": State("Республики Кипр", "Н. Георгиу", "А. Пападопулос", "Генеральный прокурор Республики Кипр", "Никосия"),
    "VN": State("Социалистической Республики Вьетнам", "Нгуен В.", "Чан Т.", "Заместитель Генерального прокурора Верховной народной прокуратуры СРВ", "Ханой"),
    "PE": State("Республики Перу", "Х. Гарсия", "Л. Торрес", "Генеральный прокурор Республики Перу", "Лима"),
    "MA": State("Королевства Марокко", "Ю. Беннани", "М. Алами", "Генеральный прокурор при Кассационном суде Королевства Марокко", "Рабат"),
}  # fmt: skip

# The partner's prosecution service (or ministry of justice) among the counterparts, where the reference data has it.
AUTHORITIES = {
    "RU": "ru-gpo", "CN": "cn-spp", "US": "us-doj", "UZ": "uz-gpo", "KG": "kg-gpo", "TJ": "tj-gpo", "TR": "tr-moj",
    "AZ": "az-gpo", "BY": "by-gpo", "DE": "de-gba", "GB": "gb-cps", "KR": "kr-spo",
}  # fmt: skip

# The 18 OSCE participating States whose ambassadors came on the familiarisation visit with the Programme Office.
OSCE_AMBASSADORS = (
    "AT", "BE", "CH", "CZ", "DE", "ES", "FI", "FR", "GB", "HU", "IT", "LT", "LV", "NL", "PL", "SE", "TR", "US",
)  # fmt: skip

# Kazakhstan's side (invented names): the leadership of the Prosecutor General's Office.
KZ_LEADERS = (
    ("Б. Асылов", "Генеральный Прокурор Республики Казахстан"),
    ("Ж. Сапарбеков", "Заместитель Генерального Прокурора Республики Казахстан"),
    ("Н. Есенгараев", "Заместитель Генерального Прокурора Республики Казахстан"),
    ("А. Мукашев", "Начальник Департамента международного сотрудничества Генеральной прокуратуры"),
)

# --- the recurring events of a year ------------------------------------------------------------------------------


class P(NamedTuple):
    """A participant: `who` is "@state" (the event's partner state), "@authority" (its prosecution service from
    AUTHORITIES, else the state), a state's ISO code, "KZ" (our delegation), or a key of COUNTERPARTS; `lead` 0–3
    picks KZ_LEADERS for "KZ"."""

    who: str
    name: str = ""
    title: str = ""
    heads: bool = False
    size: int | None = None
    lead: int = 3


class Ev(NamedTuple):
    """A meeting or visit. In the texts {state} is the partner state's genitive name, {ambassador} its
    ambassador, {prosecutor} and {prosecutor_title} the head of its prosecution service, {city} its capital,
    {n} the number of the yearly session. `where`: "KZ" (Astana), "@state" (the partner's capital), an ISO code, or
    "" (online). `months`: the months it may fall in. `tasks`: what it leaves to do."""

    kind: str
    title: str
    where: str
    principal: str
    who: tuple[P, ...]
    topics: tuple[str, ...]
    summary: str
    outcomes: str
    months: tuple[int, ...] = tuple(range(1, 13))
    days: int = 1
    states: tuple[str, ...] = ()  # the partner states it rotates over ("@state")
    place: str = ""
    tasks: tuple[str, ...] = ()
    agreement: str = ""  # a memorandum signed, not in the treaty register
    figures: tuple[tuple[str, str, str], ...] = ()  # (value, as written, subject)
    n0: int = 0  # the session's number in the first demo year
    office: str = ""  # "regional": recorded by the Astana city office
    restricted: bool = False


MEETING, INCOMING, OUTGOING = "meeting", "incoming_visit", "outgoing_visit"
FAMILIARISATION, CONFERENCE, NEGOTIATION, SIGNING, TRAINING = (
    "familiarisation",
    "conference",
    "negotiation",
    "signing",
    "training",
)
KZ_LEAD = P("KZ", lead=1, heads=True)

YEARLY: tuple[Ev, ...] = (
    Ev(
        MEETING,
        "Встреча Генерального Прокурора с Послом {state} в Республике Казахстан",
        "KZ",
        "",
        (
            P("KZ", lead=0, heads=True),
            P("@state", "{ambassador}", "Чрезвычайный и Полномочный Посол {state}", True),
        ),
        ("legal_assistance", "corruption"),
        "Обсуждены состояние договорно-правовой базы, исполнение запросов о правовой помощи и выдаче, "
        "возврат активов.",
        "Договорились ускорить исполнение запросов, находящихся на контроле, и провести консультации экспертов.",
        states=("US", "GB", "DE", "FR", "IT", "TR", "CN", "KR", "AE", "HU"),
        tasks=("Направить в посольство перечень запросов о правовой помощи, находящихся на контроле",),
    ),
    Ev(
        MEETING,
        "Meeting with the Head of the OSCE Programme Office in Astana",
        "KZ",
        "osce_poa",
        (KZ_LEAD, P("osce_poa", "V. Lindqvist", "Head of the OSCE Programme Office in Astana", True)),
        ("torture", "trafficking", "training"),
        "Priorities of the joint work plan: criminal justice reform, the prevention of torture, combating "
        "trafficking in human beings and training of prosecutors.",
        "The joint work plan for the coming year was agreed.",
        months=(1, 2, 3),
        tasks=("Согласовать проект совместного плана работы с Программным офисом ОБСЕ",),
    ),
    Ev(
        MEETING,
        "Встреча с Региональным представителем УНП ООН для Центральной Азии",
        "KZ",
        "unodc_pokaz",
        (
            KZ_LEAD,
            P("unodc_pokaz", "Г. Мейер", "Региональный представитель УНП ООН для Центральной Азии", True),
        ),
        ("drugs", "organised_crime", "money_laundering"),
        "Обсуждены противодействие незаконному обороту наркотиков и синтетических психоактивных веществ, "
        "финансовые расследования, подготовка прокуроров.",
        "Достигнута договорённость о проведении серии обучающих семинаров для прокуроров регионов.",
        months=(4, 5, 6),
    ),
    Ev(
        MEETING,
        "Meeting with the Head of the EU Delegation to Kazakhstan",
        "KZ",
        "eu_delegation",
        (
            KZ_LEAD,
            P(
                "eu_delegation",
                "J. Hoffmann",
                "Ambassador, Head of the Delegation of the European Union",
                True,
            ),
        ),
        ("fair_trial", "corruption", "asset_recovery"),
        "Rule of law cooperation under the EU–Kazakhstan Enhanced Partnership and Cooperation Agreement; asset "
        "recovery; the Central Asia Rule of Law Programme.",
        "Agreed to hold expert consultations on asset recovery and the exchange of financial information.",
        months=(9, 10, 11),
    ),
    Ev(
        INCOMING,
        "Визит делегации прокуратуры {state} в Генеральную прокуратуру",
        "KZ",
        "",
        (P("KZ", lead=2, heads=True), P("@authority", "{prosecutor}", "{prosecutor_title}", True, 5)),
        ("legal_assistance", "drugs", "extremism"),
        "Переговоры о сотрудничестве в сфере правовой помощи по уголовным делам, экстрадиции и передачи "
        "осуждённых; обмен опытом прокурорского надзора.",
        "Подписан план мероприятий на два года; договорились о ежегодных консультациях.",
        days=3,
        states=("UZ", "KG", "TJ", "AZ", "BY", "RU", "CN", "TR"),
        tasks=(
            "Подготовить проект плана мероприятий по итогам визита",
            "Направить информацию о ходе исполнения запросов о выдаче",
        ),
    ),
    Ev(
        OUTGOING,
        "Рабочий визит делегации Генеральной прокуратуры (г. {city})",
        "@state",
        "",
        (KZ_LEAD, P("@authority", "{prosecutor}", "{prosecutor_title}", True)),
        ("legal_assistance", "asset_recovery"),
        "Переговоры с руководством прокуратуры {state} о выдаче лиц, находящихся в розыске, и возврате "
        "активов, выведенных за рубеж.",
        "Согласован порядок обмена информацией по делам о возврате активов; проведены консультации экспертов.",
        days=3,
        states=("RU", "CN", "UZ", "TR", "AE", "HU", "KR", "AZ"),
        tasks=("Подготовить информацию Генеральному Прокурору об итогах визита",),
    ),
    Ev(
        OUTGOING,
        "{n}-е заседание Координационного совета генеральных прокуроров государств – участников СНГ",
        "@state",
        "cis_ccpg",
        (P("KZ", lead=0, heads=True), P("cis_ccpg", "В. Ефимов", "Секретарь Координационного совета", False)),
        ("organised_crime", "trafficking", "cybercrime"),
        "Рассмотрены вопросы противодействия транснациональной организованной преступности, торговле людьми и "
        "киберпреступности; утверждён план работы совета.",
        "Принято совместное постановление; Генеральной прокуратуре поручено подготовить доклад к следующему "
        "заседанию.",
        months=(5, 6, 10, 11),
        days=2,
        states=("RU", "BY", "UZ", "KG", "TJ", "AZ"),
        n0=28,
        tasks=("Подготовить доклад к следующему заседанию Координационного совета",),
    ),
    Ev(
        OUTGOING,
        "Совещание генеральных прокуроров государств – членов ШОС",
        "@state",
        "sco_prosecutors",
        (P("KZ", lead=0, heads=True), P("sco", "Л. Чжан", "Заместитель Генерального секретаря ШОС", False)),
        ("terrorism", "extremism", "drugs"),
        "Обсуждены противодействие терроризму, сепаратизму и экстремизму, незаконному обороту наркотиков; "
        "взаимодействие с РАТС ШОС.",
        "Подписан протокол совещания; одобрен план взаимодействия на следующий год.",
        months=(6, 7, 8),
        days=2,
        states=("CN", "RU", "UZ", "KG", "TJ"),
    ),
    Ev(
        MEETING,
        "Рабочая встреча с представителями РАТС ШОС",
        "KZ",
        "sco_rats",
        (
            KZ_LEAD,
            P("sco_rats", "Р. Мирзаев", "Заместитель Директора Исполнительного комитета РАТС ШОС", True),
            P("knb_atc", "С. Оспанов", "Заместитель руководителя Антитеррористического центра КНБ"),
        ),
        ("terrorism", "extremism"),
        "Обмен информацией о лицах, причастных к террористической деятельности, и о розыске.",
        "Согласован порядок обмена сведениями через Исполнительный комитет РАТС.",
        months=(2, 3, 9),
        restricted=True,
    ),
    Ev(
        FAMILIARISATION,
        "Ознакомительный визит дипломатического корпуса в Академию правоохранительных органов",
        "KZ",
        "",
        (
            KZ_LEAD,
            P("US", "Д. Коллинз", "Посол США"),
            P("DE", "Ф. Беккер", "Посол Германии"),
            P("KR", "Ким Дж.", "Посол Республики Корея"),
            P("osce_poa", "V. Lindqvist", "Head of the OSCE Programme Office in Astana"),
        ),
        ("training",),
        "Дипломаты ознакомились с программами подготовки прокуроров, цифровыми сервисами прокуратуры и "
        "работой Академии.",
        "Предложено проведение совместных курсов с участием иностранных экспертов.",
        months=(4, 10),
        place="Косшы, Академия правоохранительных органов",
    ),
    Ev(
        CONFERENCE,
        "Annual Conference and General Meeting of the International Association of Prosecutors",
        "@state",
        "iap",
        (KZ_LEAD, P("iap", "S. Ahmed", "Secretary-General of the IAP")),
        ("organised_crime", "cybercrime"),
        "Participation in the IAP annual conference; a presentation on the digital criminal case.",
        "Contacts with the prosecution services of the participating states; materials sent to the regions.",
        months=(9, 10),
        days=4,
        states=("GB", "AE", "DE", "QA", "KR", "FR"),
        figures=(("120", "120", "государств – участников конференции"),),
    ),
    Ev(
        CONFERENCE,
        "Региональная конференция по противодействию незаконному обороту наркотиков (УНП ООН)",
        "KZ",
        "unodc",
        (
            KZ_LEAD,
            P("unodc_pokaz", "Г. Мейер", "Региональный представитель УНП ООН", True),
            P("mvd", "Е. Нурланов", "Заместитель министра внутренних дел"),
            P("UZ", "Ш. Алиев", "Первый заместитель Генерального прокурора Республики Узбекистан"),
            P("KG", "Н. Токтосунов", "Заместитель Генерального прокурора Кыргызской Республики"),
        ),
        ("drugs", "organised_crime"),
        "Обсуждены маршруты наркотрафика, синтетические наркотики и криптовалюта, совместные расследования.",
        "Принята итоговая резолюция; предложено создание региональной сети прокуроров по делам о наркотиках.",
        months=(6,),
        days=2,
        place="Алматы",
        figures=(("5", "5", "государств Центральной Азии"),),
    ),
    Ev(
        NEGOTIATION,
        "Раунд переговоров с делегацией {state} по проекту договора о правовой помощи по уголовным делам",
        "@state",
        "",
        (
            P("KZ", lead=3, heads=True),
            P("mfa", "Д. Ахметов", "Советник Департамента правового обеспечения МИД"),
            P("@authority", "{prosecutor}", "{prosecutor_title}", True),
        ),
        ("legal_assistance",),
        "Согласован текст проекта договора, кроме статей об основаниях отказа и о расходах.",
        "Следующий раунд переговоров — в Астане.",
        days=2,
        states=("QA", "PE", "MA", "VN", "CY", "AE"),
        tasks=("Подготовить позицию по несогласованным статьям проекта договора",),
    ),
    Ev(
        SIGNING,
        "Подписание меморандума о сотрудничестве с прокуратурой {state}",
        "KZ",
        "",
        (P("KZ", lead=0, heads=True), P("@authority", "{prosecutor}", "{prosecutor_title}", True)),
        ("legal_assistance", "corruption"),
        "Церемония подписания меморандума о взаимопонимании и сотрудничестве.",
        "Меморандум подписан; определены контактные лица сторон.",
        states=("UZ", "KG", "AZ", "HU", "KR", "TR"),
        agreement="Меморандум о взаимопонимании и сотрудничестве между Генеральной прокуратурой Республики "
        "Казахстан и прокуратурой {state}",
    ),
    Ev(
        TRAINING,
        "Training for prosecutors on investigating trafficking in human beings (OSCE)",
        "KZ",
        "osce_poa",
        (
            P("osce_poa", "M. Rossi", "Senior Project Officer, OSCE Programme Office in Astana", True),
            P("KZ", lead=3),
        ),
        ("trafficking", "migration", "training"),
        "A three-day course for regional prosecutors: victim-centred investigations, financial investigations, "
        "international cooperation.",
        "Thirty prosecutors trained; the training materials were sent to the regional offices.",
        months=(3, 4, 5, 10, 11),
        days=3,
        figures=(("30", "30", "prosecutors trained"),),
        office="regional",
    ),
    Ev(
        TRAINING,
        "Семинар по расследованию киберпреступлений и работе с электронными доказательствами",
        "KZ",
        "unodc",
        (
            P("unodc_pokaz", "А. Келлер", "Эксперт УНП ООН по киберпреступности", True),
            P("KZ", lead=3),
            P("interpol", "Р. Мартинес", "Специалист Управления по киберпреступности Интерпола"),
        ),
        ("cybercrime", "training"),
        "Практический семинар: криптовалюты, запросы к провайдерам, трансграничное получение электронных "
        "доказательств.",
        "Обучено 25 прокуроров; подготовлены методические рекомендации.",
        months=(2, 9),
        days=2,
        figures=(("25", "25", "прокуроров прошли обучение"),),
    ),
    Ev(
        INCOMING,
        "Visit of the Eurojust delegation",
        "KZ",
        "eurojust",
        (KZ_LEAD, P("eurojust", "K. Novak", "Head of the External Relations Unit, Eurojust", True, 3)),
        ("organised_crime", "legal_assistance"),
        "Prospects of a working arrangement between Eurojust and the Prosecutor General's Office; the contact "
        "point for Kazakhstan.",
        "Agreed to exchange draft texts of a working arrangement.",
        months=(5, 11),
        days=2,
        tasks=("Подготовить проект рабочего соглашения с Евроюстом",),
    ),
    Ev(
        MEETING,
        "Рабочая встреча с миссией ЕАГ по взаимной оценке",
        "KZ",
        "eag",
        (
            KZ_LEAD,
            P("eag", "И. Смирнов", "Исполнительный секретарь ЕАГ", True),
            P("afm", "А. Ермеков", "Заместитель Председателя Агентства по финансовому мониторингу"),
            P("src", "Б. Оразов", "Заместитель Председателя Комитета государственных доходов"),
        ),
        ("money_laundering", "terrorism"),
        "Эффективность уголовного преследования за отмывание денег и финансирование терроризма; статистика "
        "конфискаций.",
        "Представлены дополнительные сведения о приговорах и конфискации имущества.",
        months=(3, 7),
        tasks=("Направить в АФМ статистику приговоров по делам об отмывании денег",),
    ),
    Ev(
        MEETING,
        "Видеоконференция с Генеральным секретариатом Интерпола",
        "",
        "interpol",
        (
            P("KZ", lead=3, heads=True),
            P("interpol", "Л. Дюран", "Директор по оперативной поддержке Интерпола"),
            P("mvd", "Е. Нурланов", "Руководитель НЦБ Интерпола в Казахстане"),
        ),
        ("organised_crime", "legal_assistance"),
        "Розыск лиц по красным уведомлениям, соответствие запросов правилам обработки данных Интерпола.",
        "Согласован порядок рассмотрения спорных красных уведомлений.",
        months=(1, 8, 12),
        place="онлайн (ВКС)",
    ),
)

# How many of the YEARLY events a year holds, at most (each is used once a year at most).
PER_YEAR = 15
# Of the past events, this share was cancelled (the first pandemic year more).
CANCELLED_SHARE = {2021: 0.15}
CANCELLED_OTHER = 0.04
CANCEL_REASON = "Мероприятие перенесено по просьбе принимающей стороны."
CANCEL_REASON_2021 = "Мероприятие отменено в связи с ограничительными мерами по COVID-19."
# Planned events from the last weeks that are still to be recorded as held.
UNRECORDED_DAYS = 10

# --- dated events -------------------------------------------------------------------------------------------------


class Signing(NamedTuple):
    """A treaty of the register signed on a day: the partner, the day, the place (a visit of ours abroad when the
    place is not Astana)."""

    partner: str
    date: str
    place: str


SIGNINGS = (
    Signing("FR", "2021-10-28", "Нур-Султан"),
    Signing("UZ", "2021-12-06", "Нур-Султан"),
    Signing("CY", "2022-10-20", "Никосия"),
    Signing("VN", "2023-08-21", "Ханой"),
    Signing("QA", "2024-02-14", "Доха"),
    Signing("CY", "2024-03-25", "Астана"),
    Signing("PE", "2024-10-23", "Астана"),
    Signing("MA", "2024-12-12", "Рабат"),
)
SIGNING_TITLE = "Подписание договоров о сотрудничестве по уголовным делам с участием делегации {state}"
SIGNING_SUMMARY = "Церемония подписания в ходе официального визита; договоры внесены в реестр."
SIGNING_OUTCOME = "Подписаны договоры; подготовлены материалы к ратификации."
SIGNING_TASK = "Подготовить материалы для внутригосударственных процедур ратификации"

OSCE_VISIT = Ev(
    FAMILIARISATION,
    "Ознакомительный визит послов 18 государств – участников ОБСЕ и Главы Программного офиса ОБСЕ в Астане",
    "KZ",
    "osce_poa",
    (
        P("KZ", lead=1, heads=True),
        P("osce_poa", "V. Lindqvist", "Head of the OSCE Programme Office in Astana", True),
        P("knb_atc", "С. Оспанов", "Заместитель руководителя Антитеррористического центра КНБ"),
        P("aca", "Т. Жаксылыков", "Заместитель Председателя Агентства по противодействию коррупции"),
        P("src", "Б. Оразов", "Заместитель Председателя Комитета государственных доходов"),
    ),
    ("terrorism", "corruption", "money_laundering"),
    "Послы 18 государств – участников ОБСЕ ознакомились с работой органов прокуратуры, "
    "Антитеррористического центра КНБ, Агентства по противодействию коррупции и Комитета государственных "
    "доходов по противодействию терроризму, коррупции и легализации преступных доходов.",
    "Участники высоко оценили открытость; предложено продолжить такие визиты ежегодно.",
    days=2,
    figures=(("18", "18", "государств – участников ОБСЕ"),),
)
OSCE_VISIT_DATE = "2023-05-17"
OSCE_AMBASSADOR_TITLE = "Посол, постоянный представитель"

# --- follow-up tasks -----------------------------------------------------------------------------------------------

TASK_DUE_DAYS = (20, 75)  # a task is due this many days after the event
TASK_RESULT = "Исполнено, информация направлена."
TASK_CANCEL_REASON = "Необходимость отпала: вопрос решён в рабочем порядке."
TASK_RESCHEDULE_REASON = "Сторона запросила дополнительное время для согласования."
OVERDUE_SHARE = 0.12  # of the tasks whose due date has passed, left open (overdue)

# --- joint projects -----------------------------------------------------------------------------------------------


class Proj(NamedTuple):
    partner: str
    title: str
    reference: str
    start: str  # YYYY-MM-DD (a future day: proposed)
    months: int  # planned length
    budget: str
    currency: str
    status: str  # proposed, active, completed, suspended, cancelled
    topics: tuple[str, ...]
    description: str
    outputs: str = ""
    regions: int = 0  # regional offices involved, besides the Prosecutor General's Office


PROJECTS = (
    Proj("osce_poa", "Содействие реформе уголовного правосудия и прокурорского надзора", "OSCE-POA-2021-01", "2021-02-01", 24, "180000", "EUR", "completed", ("fair_trial", "training"), "Экспертная поддержка совершенствования УПК и стандартов прокурорского надзора.", "Подготовлены экспертные заключения к 4 законопроектам; обучено 240 прокуроров.", 3),
    Proj("osce_poa", "Противодействие торговле людьми: подготовка прокуроров и следователей", "OSCE-POA-2021-04", "2021-04-15", 30, "95000", "EUR", "completed", ("trafficking", "migration"), "Серия семинаров для прокуроров и полиции; методика расследования с ориентацией на жертву.", "Проведено 12 семинаров, издано методическое пособие.", 4),
    Proj("osce_poa", "Предупреждение пыток: поддержка национального превентивного механизма", "OSCE-POA-2022-02", "2022-03-01", 36, "120000", "EUR", "active", ("torture", "detention"), "Совместные посещения мест лишения свободы, обучение членов НПМ и прокуроров по надзору."),
    Proj("osce_poa", "Противодействие финансированию терроризма", "OSCE-POA-2022-05", "2022-06-01", 18, "70000", "EUR", "completed", ("terrorism", "money_laundering"), "Финансовые расследования и взаимодействие с подразделением финансовой разведки.", "Обучено 60 прокуроров; подготовлены рекомендации по типологиям.", 2),
    Proj("osce_poa", "Цифровизация уголовного процесса: электронное уголовное дело", "OSCE-POA-2023-01", "2023-02-01", 24, "150000", "EUR", "completed", ("cybercrime", "fair_trial"), "Изучение опыта государств ОБСЕ, поддержка внедрения электронного формата уголовного дела.", "Подготовлен аналитический доклад; проведено 3 круглых стола.", 2),
    Proj("osce_poa", "Гендерно-чувствительное расследование бытового насилия", "OSCE-POA-2023-04", "2023-05-01", 24, "85000", "EUR", "active", ("women", "training"), "Подготовка прокуроров по делам о бытовом насилии, защита потерпевших.", "", 5),
    Proj("osce_poa", "Противодействие насильственному экстремизму и радикализации, ведущим к терроризму", "OSCE-POA-2024-02", "2024-03-01", 24, "110000", "EUR", "active", ("extremism", "terrorism"), "Профилактика радикализации, реабилитация и реинтеграция."),
    Proj("osce_poa", "Ювенальная юстиция: альтернативы заключению под стражу для несовершеннолетних", "OSCE-POA-2024-05", "2024-06-01", 18, "60000", "EUR", "suspended", ("children",), "Медиация и восстановительное правосудие для несовершеннолетних.", "", 3),
    Proj("osce_poa", "Возврат активов: совершенствование международного сотрудничества", "OSCE-POA-2025-01", "2025-02-01", 24, "90000", "EUR", "active", ("asset_recovery", "corruption"), "Запросы об аресте и конфискации за рубежом, взаимодействие с сетями CARIN и ARIN-WCA."),
    Proj("osce_poa", "Безопасность в киберпространстве: подготовка прокуроров", "OSCE-POA-2025-03", "2025-04-01", 24, "75000", "EUR", "active", ("cybercrime", "training"), "Курсы по электронным доказательствам и криптовалютам."),
    Proj("osce_poa", "Противодействие торговле людьми в цифровой среде", "OSCE-POA-2027-01", "2027-02-01", 24, "80000", "EUR", "proposed", ("trafficking", "cybercrime"), "Расследование вербовки жертв через интернет."),
    Proj("osce_poa", "Мониторинг судебных процессов по делам о пытках", "OSCE-POA-2022-09", "2022-10-01", 12, "40000", "EUR", "cancelled", ("torture", "fair_trial"), "Пилотный мониторинг процессов."),
    Proj("unodc", "Strengthening criminal justice responses to drug trafficking in Central Asia", "KAZ/X41", "2021-06-01", 36, "450000", "USD", "completed", ("drugs", "organised_crime"), "Joint investigations, controlled deliveries, regional prosecutors' network.", "A regional network of prosecutors set up; 8 joint trainings held."),
    Proj("unodc", "Countering violent extremism in prisons", "GLOZ82-KAZ", "2023-01-15", 36, "320000", "USD", "active", ("extremism", "detention"), "Management of violent extremist prisoners, rehabilitation programmes.", "", 2),
    Proj("unodc", "Financial investigations and cryptocurrency", "GLOU40-KAZ", "2025-09-01", 24, "210000", "USD", "active", ("money_laundering", "cybercrime"), "Training and tools for tracing virtual assets."),
    Proj("eu", "Central Asia Rule of Law Programme: criminal justice component", "EU-CARoL-KZ", "2021-09-01", 48, "600000", "EUR", "active", ("fair_trial", "corruption"), "Independence of the judiciary, prosecutorial standards, access to justice.", "", 2),
    Proj("eu", "Law enforcement cooperation in Central Asia (LEICA)", "EU-LEICA-2026", "2027-03-01", 36, "400000", "EUR", "proposed", ("organised_crime", "legal_assistance"), "Support to international cooperation in criminal matters."),
    Proj("undp", "Доступ к правосудию для уязвимых групп", "UNDP-KAZ-00123", "2022-01-01", 24, "25000000", "KZT", "completed", ("fair_trial", "disability"), "Бесплатная юридическая помощь, доступность судов и прокуратуры для лиц с инвалидностью.", "Открыто 6 приёмных; обучено 90 сотрудников.", 4),
    Proj("undp", "Цифровые сервисы прокуратуры для граждан", "UNDP-KAZ-00188", "2024-04-01", 24, "40000000", "KZT", "active", ("fair_trial",), "Электронные обращения, онлайн-приём, доступность для лиц с инвалидностью."),
    Proj("coe", "Support to the implementation of GRECO recommendations", "CoE-KZ-GRECO", "2023-09-01", 24, "150000", "EUR", "completed", ("corruption",), "Expert opinions on conflicts of interest, asset declarations, integrity of prosecutors.", "Draft code of ethics of prosecutors reviewed; two expert opinions issued."),
    Proj("coe", "Cooperation on the Budapest Convention on Cybercrime", "CoE-GLACY-KZ", "2026-02-01", 24, "120000", "EUR", "proposed", ("cybercrime", "legal_assistance"), "Preparation for accession to the Budapest Convention; training on electronic evidence."),
)  # fmt: skip
PROJECT_SUSPEND_REASON = "Приостановлен по согласованию с партнёром до утверждения бюджета на следующий год."
PROJECT_CANCEL_REASON = "Партнёр отказался от финансирования проекта."

# --- recommendations ---------------------------------------------------------------------------------------------


class Rec(NamedTuple):
    """`visit`: the first day of the loaded visit it came from (special procedures; with ":word", a word of the
    mandate's name, when two visits began that day); `source`: a key of COUNTERPARTS when there is no visit.
    Status path: "new", "started", "partly", "implemented", "reopened", "noted", "closed"."""

    kind: str
    document: str
    paragraph: str
    issued: str
    text: str
    theme: str
    responsible: str
    path: str
    visit: str = ""
    source: str = ""


SP, TB, UPR_, ODIHR_, COE_ = "special_procedure", "treaty_body", "upr", "osce_odihr", "coe"

RECOMMENDATIONS = (
    # UN special procedures, with the real visits loaded by load_relations
    Rec(SP, "A/HRC/43/46/Add.1", "48(a)", "2020-01-22", "Revise the definitions of «extremism» and «terrorism» in the Criminal Code so that they are precise and in conformity with international law.", "terrorism", "gpo", "partly", visit="2019-05-10"),
    Rec(SP, "A/HRC/43/46/Add.1", "48(d)", "2020-01-22", "Ensure that persons returned from conflict zones, in particular women and children, receive rehabilitation and reintegration support and that prosecution decisions are individualised.", "extremism", "gpo", "implemented", visit="2019-05-10"),
    Rec(SP, "A/HRC/43/46/Add.1", "48(f)", "2020-01-22", "Guarantee independent oversight of counter-terrorism measures and of the lists of persons associated with terrorism.", "terrorism", "knb", "noted", visit="2019-05-10"),
    Rec(SP, "CAT/OP/KAZ/ROSP/1", "22", "2023-09-15", "Strengthen the functional and financial independence of the national preventive mechanism.", "torture", "ombudsman", "started", visit="2023-03-26"),
    Rec(SP, "CAT/OP/KAZ/ROSP/1", "35", "2023-09-15", "Ensure that every allegation of torture is registered and investigated promptly and impartially by a body independent of the alleged perpetrators.", "torture", "gpo", "partly", visit="2023-03-26"),
    Rec(SP, "CAT/OP/KAZ/ROSP/1", "48", "2023-09-15", "Ensure medical examinations of detainees out of the hearing and sight of police officers.", "detention", "mvd", "started", visit="2023-03-26"),
    Rec(SP, "CAT/OP/KAZ/ROSP/1", "61", "2023-09-15", "Improve material conditions in temporary detention facilities, in particular ventilation and access to daylight.", "detention", "mvd", "new", visit="2023-03-26"),
    Rec(SP, "CAT/OP/KAZ/1", "27", "2017-03-20", "Establish a system of video-recording of all interrogations.", "torture", "mvd", "implemented", visit="2016-09-20"),
    Rec(SP, "A/HRC/37/56/Add.2", "70(b)", "2018-01-08", "Repeal provisions that deprive persons with disabilities of their legal capacity.", "disability", "minjust", "partly", visit="2017-09-04"),
    Rec(SP, "A/HRC/37/56/Add.2", "70(e)", "2018-01-08", "Ensure procedural accommodations for persons with disabilities in criminal proceedings.", "disability", "supreme_court", "implemented", visit="2017-09-04"),
    Rec(SP, "A/HRC/29/25/Add.2", "95", "2015-06-16", "Replace the authorisation regime for peaceful assemblies with a notification regime.", "assembly", "minjust", "implemented", visit="2015-01-19"),
    Rec(SP, "A/HRC/28/66/Add.1", "74", "2014-12-23", "Remove the requirement of registration as a precondition for the practice of religion or belief.", "religion", "minjust", "noted", visit="2014-03-25:religion"),
    Rec(SP, "A/HRC/13/39/Add.3", "81(a)", "2010-02-16", "Bring the definition of torture into line with article 1 of the Convention against Torture.", "torture", "gpo", "implemented", visit="2009-05-05"),
    Rec(SP, "A/HRC/13/39/Add.3", "81(d)", "2010-02-16", "Establish an effective and independent complaints mechanism for victims of torture.", "torture", "gpo", "reopened", visit="2009-05-05"),
    # Universal Periodic Review
    Rec(UPR_, "A/HRC/43/10", "145.12", "2019-12-20", "Continue efforts to combat trafficking in persons, in particular through the identification and protection of victims.", "trafficking", "mvd", "implemented", source="upr"),
    Rec(UPR_, "A/HRC/43/10", "145.37", "2019-12-20", "Criminalise domestic violence as a separate offence.", "women", "minjust", "implemented", source="upr"),
    Rec(UPR_, "A/HRC/43/10", "145.58", "2019-12-20", "Ensure the independence of the judiciary and the equality of arms between the prosecution and the defence.", "fair_trial", "supreme_court", "partly", source="upr"),
    Rec(UPR_, "A/HRC/43/10", "145.83", "2019-12-20", "Decriminalise defamation and bring it under civil law.", "expression", "minjust", "partly", source="upr"),
    Rec(UPR_, "A/HRC/43/10", "145.101", "2019-12-20", "Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights.", "fair_trial", "mfa", "implemented", source="upr"),
    Rec(UPR_, "A/HRC/43/10", "145.140", "2019-12-20", "Guarantee the right to freedom of association, including the registration of political parties.", "assembly", "minjust", "noted", source="upr"),
    Rec(UPR_, "A/HRC/59/11", "127.15", "2025-04-02", "Strengthen the investigation of torture allegations and ensure adequate sentences for perpetrators.", "torture", "gpo", "started", source="upr"),
    Rec(UPR_, "A/HRC/59/11", "127.44", "2025-04-02", "Protect children from violence, including by establishing child-friendly justice procedures.", "children", "gpo", "started", source="upr"),
    Rec(UPR_, "A/HRC/59/11", "127.73", "2025-04-02", "Align the legislation on extremism with international standards.", "extremism", "knb", "new", source="upr"),
    Rec(UPR_, "A/HRC/59/11", "127.96", "2025-04-02", "Adopt comprehensive anti-discrimination legislation.", "fair_trial", "minjust", "noted", source="upr"),
    # Treaty bodies
    Rec(TB, "CAT/C/KAZ/CO/4", "12", "2021-12-07", "Ensure that all detained persons enjoy fundamental legal safeguards from the very outset of deprivation of liberty.", "detention", "gpo", "partly", source="cat"),
    Rec(TB, "CAT/C/KAZ/CO/4", "16", "2021-12-07", "Ensure that torture cases are investigated by the prosecution service and not by the bodies whose officers are accused.", "torture", "gpo", "implemented", source="cat"),
    Rec(TB, "CAT/C/KAZ/CO/4", "24", "2021-12-07", "Ensure that confessions obtained under duress are not admitted as evidence in any proceedings.", "fair_trial", "supreme_court", "started", source="cat"),
    Rec(TB, "CAT/C/KAZ/CO/4", "33", "2021-12-07", "Provide redress and rehabilitation to victims of torture, including fair compensation.", "torture", "minjust", "closed", source="cat"),
    Rec(TB, "CCPR/C/KAZ/CO/3", "18", "2024-11-06", "Ensure that the crime of torture is not subject to a statute of limitations or to amnesty.", "torture", "gpo", "started", source="ccpr"),
    Rec(TB, "CCPR/C/KAZ/CO/3", "22", "2024-11-06", "Investigate all allegations of excessive use of force during the events of January 2022 and bring those responsible to justice.", "torture", "gpo", "partly", source="ccpr"),
    Rec(TB, "CCPR/C/KAZ/CO/3", "40", "2024-11-06", "Review the Law on Peaceful Assemblies to remove undue restrictions.", "assembly", "minjust", "new", source="ccpr"),
    Rec(TB, "CCPR/C/KAZ/CO/2", "30", "2016-08-09", "Decriminalise the dissemination of false information and bring restrictions on expression in line with article 19.", "expression", "minjust", "partly", source="ccpr"),
    # OSCE/ODIHR election observation
    Rec(ODIHR_, "ODIHR EOM Final Report, Parliamentary Elections 10 January 2021", "rec. 14", "2021-03-29", "Ensure that complaints and appeals on electoral disputes are considered in public sessions within short deadlines.", "elections", "cec", "implemented", source="odihr"),
    Rec(ODIHR_, "ODIHR EOM Final Report, Early Presidential Election 20 November 2022", "rec. 7", "2023-03-14", "Review the restrictions on the right to stand as a candidate.", "elections", "cec", "noted", source="odihr"),
    Rec(ODIHR_, "ODIHR EOM Final Report, Early Parliamentary Elections 19 March 2023", "rec. 21", "2023-06-22", "Ensure that prosecutorial responses to electoral violations are timely and publicly reported.", "elections", "gpo", "partly", source="odihr"),
    Rec(ODIHR_, "ODIHR EOM Final Report, Early Parliamentary Elections 19 March 2023", "rec. 25", "2023-06-22", "Guarantee that citizen observers may observe all stages of the process without undue restrictions.", "elections", "cec", "started", source="odihr"),
    # Council of Europe: GRECO
    Rec(COE_, "GRECO Joint First and Second Evaluation Round Report on Kazakhstan", "rec. ii", "2022-06-17", "Adopt a code of ethics for prosecutors, with guidance and confidential counselling.", "corruption", "gpo", "implemented", source="greco"),
    Rec(COE_, "GRECO Joint First and Second Evaluation Round Report on Kazakhstan", "rec. v", "2022-06-17", "Ensure that decisions on immunities of officials are taken on objective and transparent criteria.", "corruption", "aca", "partly", source="greco"),
    Rec(COE_, "GRECO Joint First and Second Evaluation Round Report on Kazakhstan", "rec. ix", "2022-06-17", "Strengthen the confiscation of proceeds of corruption, including value-based confiscation.", "asset_recovery", "gpo", "started", source="greco"),
    Rec(COE_, "GRECO Joint First and Second Evaluation Round Report on Kazakhstan", "rec. xiii", "2022-06-17", "Provide for the liability of legal persons for corruption offences.", "corruption", "minjust", "reopened", source="greco"),
)  # fmt: skip

PLANNED_ACTIONS = {
    "gpo": "Подготовить предложения по изменению законодательства; включить вопрос в план работы коллегии; "
    "провести обобщение практики.",
    "mvd": "Разработать ведомственный приказ; обеспечить оснащение изоляторов; обучить личный состав.",
    "minjust": "Подготовить проект закона о внесении изменений; провести обсуждение с гражданским обществом.",
    "knb": "Проанализировать практику; подготовить предложения в межведомственную рабочую группу.",
    "supreme_court": "Подготовить нормативное постановление; обобщить судебную практику.",
    "mfa": "Подготовить материалы для внутригосударственных процедур.",
    "ombudsman": "Подготовить предложения по бюджету и штатам НПМ.",
    "cec": "Внести изменения в постановления ЦИК; провести обучение избирательных комиссий.",
    "aca": "Подготовить поправки к антикоррупционному законодательству.",
}
EVIDENCE = {
    "in_progress": "Проект подготовлен и направлен на согласование в заинтересованные государственные органы.",
    "partially": "Приняты изменения в законодательство в части рекомендации; остальные меры в работе.",
    "implemented": "Закон принят и вступил в силу; практика применения обобщена, информация направлена в "
    "МИД для доклада.",
}
NOTE_REASON = "Рекомендация не поддержана: по итогам рассмотрения принята к сведению, о чём сообщено в ответе государства."
CLOSE_REASON = "Утратила актуальность в связи с изменением законодательства."
REOPEN_REASON = "Повторно рассмотрена по итогам следующего цикла: требуются дополнительные меры."
