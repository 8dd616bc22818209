"""A national register of demo appeals, built with bulk inserts (`manage.py seed_demo --appeals N`).

The register looks like a year of the whole country's work — 500,000 appeals a year (PER_YEAR), so N = 5,000,000
spans ten years — spread over the regions by population and over each region's offices, in Kazakh and Russian, with
the status and outcome mix below. Every row obeys the rules the real services apply:

- registration numbers are `<office code>-<year>-<NNNNNN>`, in registration order per office and year, and the
  `RegistrationCounter` rows are moved on in the same transaction, so a real registration afterwards gets the next
  number (and one made while the seeding runs is not given a number the seeding also uses: the counters of each
  chunk are locked while it is numbered);
- registration happens on a working day: on the day of receipt before the cut-off hour, otherwise the next working
  day (APPC art. 64); the due date is the 15th working day after registration by the real calendar (one date → due
  date map built from `core.calendar.WorkingCalendar`, not one `add_working_days` call per row);
- open appeals have an assignee of their office (when the office has no prosecutor or head, the seeding creates one
  demo prosecutor for it, without a password); extensions stay within two months of registration (APPC art. 76);
- anonymous appeals are left without consideration, unless they report a crime, when they are forwarded at once;
- applicants have well-formed IINs (check digit by `core.validators.check_digit`) and organisations BINs.

What it does not do: it does not write one audit entry per row (the run is audited as one entry, like
`load_reference`), does not send notices, and does not call `full_clean` per row. Tracking codes come from a keyed
permutation of the row's sequence number, so they are unique but, unlike real ones, predictable from the seed:
demo data is for demo and benchmark databases only.

The same `seed` on the same starting database gives the same rows (the random stream is seeded with the seed and
the highest appeal id already there, so a second run on the same database adds new rows instead of clashing).
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import math
import random
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Max
from django.utils import timezone

from prokuratura.accounts.models import User, UserRole
from prokuratura.accounts.roles import Role
from prokuratura.core.actors import SETUP
from prokuratura.core.audit import audit_record
from prokuratura.core.calendar import WorkingCalendar
from prokuratura.core.lifecycle import SAME
from prokuratura.core.models import AuditEntry, Office, Region, Sensitivity
from prokuratura.core.validators import check_digit

from .models import (
    Appeal,
    AppealKind,
    AppealTransition,
    ApplicantType,
    Channel,
    Outcome,
    ReceivedVia,
    RegistrationCounter,
    Status,
    Topic,
)
from .rules import rule
from .search import FTS_DOCUMENT_SQL, FTS_TABLE, PG_WORDS_INSERT_TRIGGER, fill_search_words
from .services.intake import TRACKING_ALPHABET
from .tally import TALLY_INSERT_TRIGGER, TALLY_TRIGGER_PREFIX, appeal_tally_rebuild
from .transitions import APPEALS

# The step that leads into each status, for the bulk-written history rows: the first declared (the triage steps,
# declared after leave and forward, are named where the demo takes them).
STEP_INTO: dict[str, str] = {}
for _step in APPEALS.steps:
    if _step.target != SAME:
        STEP_INTO.setdefault(_step.target, _step.name)

PER_YEAR = 500_000
DEFAULT_DEMO_APPEALS = 300  # what `make run` (seed_demo --if-empty) adds, so the demo has something to show
CHUNK_SIZE = 10_000  # appeals per transaction
# From this many appeals on, the load sets the two tables' secondary indexes (and foreign keys, and on SQLite the
# full-text triggers) aside and builds them once at the end (_BulkLoad): one sort per index instead of millions
# of random insertions into it.
BULK_MIN = 100_000

# Population by KATO code, thousands, rounded from the Bureau of National Statistics' estimates for early 2024
# (stat.gov.kz). Rough on purpose: only the proportions matter. A region not listed weighs 500.
REGION_POPULATION = {
    "100000000": 605,  # Abai
    "110000000": 785,  # Akmola
    "150000000": 935,  # Aktobe
    "190000000": 1520,  # Almaty Region
    "230000000": 700,  # Atyrau
    "270000000": 690,  # West Kazakhstan
    "310000000": 1220,  # Zhambyl
    "330000000": 700,  # Jetisu
    "350000000": 1130,  # Karaganda
    "390000000": 830,  # Kostanay
    "430000000": 830,  # Kyzylorda
    "470000000": 790,  # Mangystau
    "550000000": 750,  # Pavlodar
    "590000000": 530,  # North Kazakhstan
    "610000000": 2140,  # Turkistan
    "620000000": 220,  # Ulytau
    "630000000": 720,  # East Kazakhstan
    "710000000": 1420,  # Astana
    "750000000": 2230,  # Almaty
    "790000000": 1240,  # Shymkent
}
# (Russian, Kazakh) name of the city appeals of the region come from most: its administrative centre.
REGION_CITY = {
    "100000000": ("Семей", "Семей"),
    "110000000": ("Кокшетау", "Көкшетау"),
    "150000000": ("Актобе", "Ақтөбе"),
    "190000000": ("Конаев", "Қонаев"),
    "230000000": ("Атырау", "Атырау"),
    "270000000": ("Уральск", "Орал"),
    "310000000": ("Тараз", "Тараз"),
    "330000000": ("Талдыкорган", "Талдықорған"),
    "350000000": ("Караганда", "Қарағанды"),
    "390000000": ("Костанай", "Қостанай"),
    "430000000": ("Кызылорда", "Қызылорда"),
    "470000000": ("Актау", "Ақтау"),
    "550000000": ("Павлодар", "Павлодар"),
    "590000000": ("Петропавловск", "Петропавл"),
    "610000000": ("Туркестан", "Түркістан"),
    "620000000": ("Жезказган", "Жезқазған"),
    "630000000": ("Усть-Каменогорск", "Өскемен"),
    "710000000": ("Астана", "Астана"),
    "750000000": ("Алматы", "Алматы"),
    "790000000": ("Шымкент", "Шымкент"),
}
GPO_SHARE = 0.02  # appeals the Prosecutor General's Office handles itself
REGIONAL_OFFICE_SHARE = 0.4  # the rest of a region's appeals go to its district offices

# Status mix of the whole register. "overdue" is open past its due date (in review, assigned or extended).
STATUS_SHARES = {
    "closed": 0.50,
    "answered": 0.20,
    "in_review": 0.10,
    "assigned": 0.03,
    "registered": 0.02,
    "extended": 0.02,
    "overdue": 0.05,
    "forwarded": 0.05,
    "left": 0.03,
}
ANSWER_OUTCOME_SHARES = {
    Outcome.SATISFIED: 0.25,
    Outcome.PARTLY_SATISFIED: 0.10,
    Outcome.EXPLAINED: 0.50,
    Outcome.REJECTED: 0.15,
}
KIND_SHARES = {
    AppealKind.COMPLAINT: 45,
    AppealKind.STATEMENT: 33,
    AppealKind.REQUEST: 12,
    AppealKind.PROPOSAL: 4,
    AppealKind.REPORT: 4,
    AppealKind.RESPONSE: 2,
}
CHANNEL_SHARES = {Channel.STAFF: 50, Channel.PUBLIC_WEB: 30, Channel.API: 18, Channel.IMPORT: 2}
RECEIVED_VIA = {
    Channel.STAFF: {
        ReceivedVia.IN_PERSON: 35,
        ReceivedVia.POST: 35,
        ReceivedVia.EMAIL: 15,
        ReceivedVia.PHONE: 10,
        ReceivedVia.OTHER_BODY: 5,
    },
    Channel.PUBLIC_WEB: {ReceivedVia.WEB: 1},
    Channel.API: {ReceivedVia.OTHER_BODY: 60, ReceivedVia.WEB: 40},
    Channel.IMPORT: {ReceivedVia.POST: 1},
}
TOPIC_SHARES = {
    "labour": 14,
    "social": 12,
    "housing": 10,
    "land": 10,
    "business": 8,
    "criminal_procedure": 14,
    "detention": 3,
    "property": 8,
    "family": 5,
    "healthcare": 4,
    "education": 3,
    "environment": 2,
    "corruption": 4,
    "other": 3,
}
KAZAKH_SHARE = 0.4  # appeals written in Kazakh; the rest in Russian
ORGANISATION_SHARE = 0.07
REPEAT_SHARE = 0.03  # same applicant, same matter, after an answer (linked through repeated_of)
EXTENDED_AMONG_ANSWERED = 0.06
LATE_ANSWER_SHARE = 0.04  # answered after the term without an extension
SENSITIVITY_SHARES = {Sensitivity.INTERNAL: 94, Sensitivity.PUBLIC: 3, Sensitivity.RESTRICTED: 3}

# --- texts -----------------------------------------------------------------------------------------------------
# Russian bodies are written with an indeclinable abbreviation first (ТОО, ГУ, РГУ, КГП), so every sentence can use
# them as a neuter subject; Kazakh sentences use them in the nominative.

COMPANIES = [
    ("Береке Агро", "Береке Агро"),
    ("Нур Логистик", "Нұр Логистик"),
    ("Жибек Жолы Транс", "Жібек Жолы Транс"),
    ("Сункар Металл", "Сұңқар Металл"),
    ("Асыл Тас", "Асыл Тас"),
    ("Дала Агро", "Дала Агро"),
    ("Темир Жол Сервис", "Темір Жол Сервис"),
    ("Ак Бидай", "Ақ Бидай"),
    ("Каспий Ойл Сервис", "Каспий Ойл Сервис"),
    ("Алатау Строй", "Алатау Строй"),
    ("Шыгыс Энерго", "Шығыс Энерго"),
    ("Сарыарка Авто", "Сарыарқа Авто"),
]
_AKIMAT = ("ГУ «Аппарат акима г. {city}»", "«{city} қаласы әкімінің аппараты» ММ")
_COMPANY = ("ТОО «{company}»", "«{company}» ЖШС")
TOPIC_BODIES: dict[str, list[tuple[str, str]]] = {
    "labour": [_COMPANY],
    "social": [
        (
            "отделение Госкорпорации «Правительство для граждан» г. {city}",
            "«Азаматтарға арналған үкімет» мемлекеттік корпорациясының {city} қаласындағы бөлімшесі",
        ),
        (
            "ГУ «Отдел занятости и социальных программ г. {city}»",
            "«{city} қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі» ММ",
        ),
    ],
    "housing": [_AKIMAT, ("ОСИ «{company}»", "«{company}» МИБ")],
    "land": [("ГУ «Отдел земельных отношений г. {city}»", "«{city} қаласының жер қатынастары бөлімі» ММ")],
    "business": [
        (
            "РГУ «Департамент государственных доходов по г. {city}»",
            "«{city} қаласы бойынша мемлекеттік кірістер департаменті» РММ",
        )
    ],
    "criminal_procedure": [("ГУ «Управление полиции г. {city}»", "«{city} қаласының полиция басқармасы» ММ")],
    "detention": [("РГУ «Следственный изолятор г. {city}»", "«{city} қаласының тергеу изоляторы» РММ")],
    "property": [("РГУ «Департамент юстиции г. {city}»", "«{city} қаласының әділет департаменті» РММ")],
    "family": [("ГУ «Отдел образования г. {city}»", "«{city} қаласының білім бөлімі» ММ")],
    "healthcare": [
        ("КГП «Городская поликлиника № {n} г. {city}»", "«{city} қаласының № {n} қалалық емханасы» КМК")
    ],
    "education": [("КГУ «Школа-гимназия № {n} г. {city}»", "«{city} қаласының № {n} мектеп-гимназиясы» КММ")],
    "environment": [_COMPANY],
    "corruption": [_AKIMAT],
    "other": [_AKIMAT],
}
# topic → [(Russian subject, Kazakh subject)], [(Russian sentence, Kazakh sentence)]
TOPIC_TEXTS: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    "labour": (
        [
            ("Невыплата заработной платы", "Жалақының төленбеуі"),
            ("Незаконное увольнение", "Жұмыстан заңсыз шығару"),
        ],
        [
            (
                "{body} не выплачивает мне заработную плату уже {months} месяцев, долг составляет {amount} тенге.",
                "{body} маған {months} ай бойы жалақы төлемей келеді, берешек сомасы {amount} теңге.",
            ),
            (
                "{date} меня незаконно уволили, окончательный расчёт не произведён.",
                "{date} мені жұмыстан заңсыз шығарды, толық есеп айырысу жүргізілмеді.",
            ),
        ],
    ),
    "social": (
        [
            ("Отказ в назначении пособия", "Жәрдемақы тағайындаудан бас тарту"),
            ("Перерасчёт пенсии", "Зейнетақыны қайта есептеу"),
        ],
        [
            (
                "{body} отказало мне в назначении социального пособия без объяснения причин.",
                "{body} маған әлеуметтік жәрдемақы тағайындаудан себебін түсіндірмей бас тартты.",
            ),
            (
                "С {date} мне не перечисляют пенсию в полном размере.",
                "{date} бастап маған зейнетақы толық көлемде аударылмайды.",
            ),
        ],
    ),
    "housing": (
        [
            ("Очередь на получение жилья", "Тұрғын үй алу кезегі"),
            ("Аварийное состояние дома", "Үйдің апатты жағдайы"),
        ],
        [
            (
                "Моя семья с {year} года стоит в очереди на жильё, однако {body} исключило нас из списка.",
                "Менің отбасым {year} жылдан бері тұрғын үй кезегінде тұр, алайда {body} бізді тізімнен шығарып тастады.",
            ),
            (
                "Дом, в котором я живу, находится в аварийном состоянии, но меры не принимаются.",
                "Мен тұратын үй апатты жағдайда, бірақ ешқандай шара қабылданбайды.",
            ),
        ],
    ),
    "land": (
        [
            ("Изъятие земельного участка", "Жер учаскесін алып қою"),
            ("Отказ в предоставлении земельного участка", "Жер учаскесін беруден бас тарту"),
        ],
        [
            (
                "{body} без моего согласия изъяло земельный участок, принадлежащий мне на праве собственности.",
                "{body} меншік құқығымен маған тиесілі жер учаскесін менің келісімімсіз алып қойды.",
            ),
            (
                "Заявку на участок, поданную {date}, рассматривают с нарушением сроков.",
                "{date} берілген жер учаскесі туралы өтінімім мерзімін бұза отырып қаралуда.",
            ),
        ],
    ),
    "business": (
        [
            ("Незаконная проверка предпринимателя", "Кәсіпкерді заңсыз тексеру"),
            ("Необоснованный штраф", "Негізсіз айыппұл"),
        ],
        [
            (
                "{body} провело внеплановую проверку моего предприятия без регистрации в органах правовой статистики.",
                "{body} құқықтық статистика органдарында тіркелмей, кәсіпорнымда жоспардан тыс тексеру жүргізді.",
            ),
            (
                "На предприятие наложен штраф в размере {amount} тенге, с чем я не могу согласиться.",
                "Кәсіпорынға {amount} теңге мөлшерінде айыппұл салынды, онымен келіспеймін.",
            ),
        ],
    ),
    "criminal_procedure": (
        [
            ("Волокита при расследовании", "Тергеудегі сөзбұйдалық"),
            ("Обжалование прекращения уголовного дела", "Қылмыстық істі тоқтатуға шағым"),
        ],
        [
            (
                "Досудебное расследование по моему заявлению № {number} {body} ведёт с волокитой.",
                "Менің № {number} арызым бойынша сотқа дейінгі тергеп-тексеруді {body} созбалаңға салып жүргізуде.",
            ),
            (
                "{date} уголовное дело необоснованно прекращено, о чём меня не уведомили.",
                "{date} қылмыстық іс негізсіз тоқтатылды, бұл туралы маған хабарланбады.",
            ),
        ],
    ),
    "detention": (
        [
            ("Жалоба на условия содержания", "Ұстау жағдайларына шағым"),
            ("Применение недозволенных методов", "Рұқсат етілмеген әдістерді қолдану"),
        ],
        [
            (
                "Мой родственник, содержащийся под стражей, не получает медицинской помощи.",
                "Қамауда ұсталып отырған туысым медициналық көмек ала алмай отыр.",
            ),
            (
                "Сотрудники применили к задержанному физическое насилие, {body} проверку не провело.",
                "Қызметкерлер ұсталған адамға күш қолданды, {body} тексеру жүргізбеді.",
            ),
        ],
    ),
    "property": (
        [
            ("Действия судебного исполнителя", "Сот орындаушысының әрекеттері"),
            ("Незаконный арест имущества", "Мүлікке заңсыз тыйым салу"),
        ],
        [
            (
                "Судебный исполнитель {official} наложил арест на имущество, не принадлежащее должнику.",
                "Сот орындаушысы {official} борышкерге тиесілі емес мүлікке тыйым салды.",
            ),
            (
                "С моего счёта незаконно списано {amount} тенге.",
                "Менің шотымнан {amount} теңге заңсыз есептен шығарылды.",
            ),
        ],
    ),
    "family": (
        [("Взыскание алиментов", "Алимент өндіру"), ("Защита прав ребёнка", "Баланың құқықтарын қорғау")],
        [
            (
                "Бывший супруг с {date} уклоняется от уплаты алиментов, долг превысил {amount} тенге.",
                "Бұрынғы жұбайым {date} бастап алимент төлеуден жалтарып жүр, берешек {amount} теңгеден асты.",
            ),
            (
                "{body} не принимает мер по защите прав несовершеннолетнего.",
                "{body} кәмелетке толмаған баланың құқықтарын қорғау бойынша шара қабылдамайды.",
            ),
        ],
    ),
    "healthcare": (
        [
            ("Отказ в бесплатной медицинской помощи", "Тегін медициналық көмектен бас тарту"),
            ("Некачественное лечение", "Сапасыз емдеу"),
        ],
        [
            (
                "{body} отказало мне в бесплатном лекарственном обеспечении.",
                "{body} маған тегін дәрі-дәрмекпен қамтамасыз етуден бас тартты.",
            ),
            (
                "Врачи не оказали моему отцу своевременную помощь.",
                "Дәрігерлер әкеме уақтылы көмек көрсетпеді.",
            ),
        ],
    ),
    "education": (
        [
            ("Поборы в школе", "Мектептегі заңсыз ақша жинау"),
            ("Отказ в приёме в детский сад", "Балабақшаға қабылдаудан бас тарту"),
        ],
        [
            (
                "{body} собирает с родителей деньги на ремонт.",
                "{body} ата-аналардан жөндеуге ақша жинайды.",
            ),
            (
                "Моему ребёнку уже {months} месяцев не предоставляют место в детском саду.",
                "Балама {months} ай бойы балабақшадан орын берілмей отыр.",
            ),
        ],
    ),
    "environment": (
        [
            ("Загрязнение окружающей среды", "Қоршаған ортаның ластануы"),
            ("Незаконная вырубка деревьев", "Ағаштарды заңсыз кесу"),
        ],
        [
            ("{body} сбрасывает отходы в реку.", "{body} қалдықтарды өзенге төгеді."),
            (
                "Во дворе нашего дома без разрешения вырубают деревья.",
                "Үйіміздің ауласында рұқсатсыз ағаштар кесілуде.",
            ),
        ],
    ),
    "corruption": (
        [
            ("Вымогательство взятки", "Пара талап ету"),
            ("Злоупотребление должностными полномочиями", "Лауазымдық өкілеттіктерді теріс пайдалану"),
        ],
        [
            (
                "Должностное лицо {official} требует деньги за оформление документов, {body} мер не принимает.",
                "Лауазымды тұлға {official} құжаттарды рәсімдегені үшін ақша талап етуде, {body} шара қабылдамайды.",
            ),
            (
                "Бюджетные средства в размере {amount} тенге израсходованы не по назначению.",
                "{amount} теңге көлеміндегі бюджет қаражаты мақсатсыз жұмсалды.",
            ),
        ],
    ),
    "other": (
        [("Разъяснение законодательства", "Заңнаманы түсіндіру"), ("Иной вопрос", "Өзге мәселе")],
        [
            (
                "Прошу разъяснить порядок обжалования решения, которое вынесло {body}.",
                "{body} шығарған шешімге шағымдану тәртібін түсіндіруіңізді сұраймын.",
            ),
            (
                "Мои обращения по этому вопросу остаются без ответа.",
                "Осы мәселе бойынша жолдаған өтініштерім жауапсыз қалуда.",
            ),
        ],
    ),
}
OPENERS = [
    ("Обращаюсь к вам по следующему вопросу.", "Сізге мына мәселе бойынша жүгінемін."),
    ("Прошу рассмотреть моё обращение.", "Өтінішімді қарауыңызды сұраймын."),
    ("Вынужден(а) обратиться в органы прокуратуры.", "Прокуратура органдарына жүгінуге мәжбүрмін."),
    ("", ""),
]
MIDDLES = [
    (
        "Ранее я обращался(ась) по этому вопросу в уполномоченный орган, однако ответа не получил(а).",
        "Бұған дейін осы мәселе бойынша уәкілетті органға жүгіндім, бірақ жауап алған жоқпын.",
    ),
    ("Нарушены мои конституционные права.", "Менің конституциялық құқықтарым бұзылды."),
    ("К обращению прилагаю копии документов.", "Өтінішке құжаттардың көшірмелерін қоса беремін."),
    ("", ""),
]
CLOSERS = [
    (
        "Прошу принять меры прокурорского реагирования.",
        "Прокурорлық ден қою шараларын қабылдауыңызды сұраймын.",
    ),
    (
        "Прошу провести проверку и восстановить мои нарушенные права.",
        "Тексеру жүргізіп, бұзылған құқықтарымды қалпына келтіруді сұраймын.",
    ),
    (
        "Прошу сообщить о результатах рассмотрения в установленный законом срок.",
        "Қарау нәтижелері туралы заңда белгіленген мерзімде хабарлауыңызды сұраймын.",
    ),
]
ANSWERS: dict[str, list[tuple[str, str]]] = {
    Outcome.SATISFIED: [
        (
            "Доводы обращения подтвердились. Внесено представление об устранении нарушений, права восстановлены.",
            "Өтініштің дәлелдері расталды. Бұзушылықтарды жою туралы ұсыныс енгізілді, құқықтар қалпына келтірілді.",
        ),
        (
            "По результатам проверки выявленные нарушения устранены.",
            "Тексеру нәтижесінде анықталған бұзушылықтар жойылды.",
        ),
    ],
    Outcome.PARTLY_SATISFIED: [
        (
            "Доводы обращения подтвердились частично. По выявленным нарушениям приняты меры прокурорского реагирования.",
            "Өтініштің дәлелдері ішінара расталды. Анықталған бұзушылықтар бойынша прокурорлық ден қою шаралары қабылданды.",
        )
    ],
    Outcome.EXPLAINED: [
        (
            "Заявителю разъяснены нормы законодательства и порядок защиты прав.",
            "Өтініш берушіге заңнама нормалары мен құқықтарды қорғау тәртібі түсіндірілді.",
        ),
        (
            "Разъяснено право обратиться в суд в порядке гражданского судопроизводства.",
            "Азаматтық сот ісін жүргізу тәртібімен сотқа жүгіну құқығы түсіндірілді.",
        ),
    ],
    Outcome.REJECTED: [
        (
            "Доводы обращения не нашли подтверждения, оснований для мер прокурорского реагирования не установлено.",
            "Өтініштің дәлелдері расталмады, прокурорлық ден қою шараларына негіз анықталмады.",
        )
    ],
}
APPEAL_RIGHT = (
    "Решение может быть обжаловано вышестоящему прокурору или в суд (ст. 91 АППК РК).",
    "Шешімге жоғары тұрған прокурорға немесе сотқа шағым жасалуы мүмкін (ҚР ӘРПК 91-бабы).",
)
FORWARD_BODIES = [
    ("Министерство труда и социальной защиты населения", "Еңбек және халықты әлеуметтік қорғау министрлігі"),
    ("Агентство по противодействию коррупции", "Сыбайлас жемқорлыққа қарсы іс-қимыл агенттігі"),
    ("Департамент полиции", "Полиция департаменті"),
    ("Управление здравоохранения", "Денсаулық сақтау басқармасы"),
    ("Акимат области", "Облыс әкімдігі"),
]
REASON_FORWARD = (
    "Вопрос не относится к компетенции органов прокуратуры.",
    "Мәселе прокуратура органдарының құзыретіне жатпайды.",
)
REASON_URGENT = (
    "Сообщение об уголовном правонарушении направлено в компетентный орган незамедлительно.",
    "Қылмыстық құқық бұзушылық туралы хабарлама құзыретті органға дереу жіберілді.",
)
REASON_ANONYMOUS = (
    "Анонимные обращения не рассматриваются (АППК РК).",
    "Анонимдік өтініштер қаралмайды (ҚР ӘРПК).",
)
REASON_LEFT = ("Повторное обращение без новых доводов.", "Жаңа дәлелдерсіз қайталама өтініш.")
REASON_EXTEND = (
    "Необходимо истребовать дополнительные материалы и провести проверку на месте.",
    "Қосымша материалдарды талап етіп, орнында тексеру жүргізу қажет.",
)

# (Russian, Kazakh) spellings.
KZ_MALE = [
    ("Ерлан", "Ерлан"),
    ("Асхат", "Асхат"),
    ("Нурлан", "Нұрлан"),
    ("Бауыржан", "Бауыржан"),
    ("Даурен", "Дәурен"),
    ("Серик", "Серік"),
    ("Арман", "Арман"),
    ("Жандос", "Жандос"),
    ("Ержан", "Ержан"),
    ("Талгат", "Талғат"),
    ("Марат", "Марат"),
    ("Айбек", "Айбек"),
    ("Руслан", "Руслан"),
    ("Канат", "Қанат"),
    ("Мухтар", "Мұхтар"),
    ("Асылбек", "Асылбек"),
]
KZ_FEMALE = [
    ("Айгерим", "Айгерім"),
    ("Динара", "Динара"),
    ("Гульнара", "Гүлнара"),
    ("Жанар", "Жанар"),
    ("Салтанат", "Салтанат"),
    ("Асель", "Әсел"),
    ("Мадина", "Мадина"),
    ("Айжан", "Айжан"),
    ("Камила", "Камила"),
    ("Алия", "Әлия"),
    ("Сауле", "Сәуле"),
    ("Гаухар", "Гауһар"),
    ("Меруерт", "Меруерт"),
    ("Назира", "Назира"),
    ("Ботагоз", "Ботагөз"),
    ("Дана", "Дана"),
]
KZ_SURNAMES = [  # male forms; the female form adds "а"
    ("Ахметов", "Ахметов"),
    ("Касымов", "Қасымов"),
    ("Сарсенбаев", "Сәрсенбаев"),
    ("Жумабеков", "Жұмабеков"),
    ("Оспанов", "Оспанов"),
    ("Байжанов", "Байжанов"),
    ("Муканов", "Мұқанов"),
    ("Есенгалиев", "Есенғалиев"),
    ("Тулегенов", "Төлегенов"),
    ("Искаков", "Ысқақов"),
    ("Абенов", "Әбенов"),
    ("Шаймерденов", "Шаймерденов"),
    ("Нурпеисов", "Нұрпейісов"),
    ("Жаксылыков", "Жақсылықов"),
    ("Сейткалиев", "Сейітқалиев"),
    ("Кенжебаев", "Кенжебаев"),
    ("Токтаров", "Тоқтаров"),
    ("Алимбеков", "Әлімбеков"),
]
RU_MALE = [  # name, patronymic of a son, patronymic of a daughter
    ("Сергей", "Сергеевич", "Сергеевна"),
    ("Андрей", "Андреевич", "Андреевна"),
    ("Алексей", "Алексеевич", "Алексеевна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Игорь", "Игоревич", "Игоревна"),
    ("Владимир", "Владимирович", "Владимировна"),
    ("Николай", "Николаевич", "Николаевна"),
    ("Виктор", "Викторович", "Викторовна"),
    ("Павел", "Павлович", "Павловна"),
    ("Олег", "Олегович", "Олеговна"),
]
RU_FEMALE = ["Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Марина", "Юлия", "Анна", "Людмила"]
RU_SURNAMES = [
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Соколов",
    "Лебедев",
    "Козлов",
    "Новиков",
    "Морозов",
]
RU_INVARIABLE_SURNAMES = ["Ким", "Пак", "Цой", "Шевченко", "Бондаренко"]
STREETS = [
    ("Абая", "Абай"),
    ("Достык", "Достық"),
    ("Республики", "Республика"),
    ("Сейфуллина", "Сейфуллин"),
    ("Толе би", "Төле би"),
    ("Жамбыла", "Жамбыл"),
    ("Кунаева", "Қонаев"),
    ("Ауэзова", "Әуезов"),
    ("Байтурсынова", "Байтұрсынов"),
    ("Центральная", "Орталық"),
]
PHONE_PREFIXES = ["701", "702", "705", "707", "747", "771", "775", "776", "777", "778"]


@dataclass
class SeedReport:
    appeals: int = 0
    transitions: int = 0
    users_created: list[str] = field(default_factory=list)
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    seconds: float = 0.0
    index_seconds: float = 0.0  # of `seconds`, building the indexes at the end of a bulk load
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.appeals / self.seconds if self.seconds else 0.0


class _Picker:
    """Weighted choice with precomputed cumulative weights (random.choices recomputes them per call)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        if not items:
            raise ValueError("nothing to choose from")
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total, hi=len(self.cum) - 1)]


def _picker(shares: Mapping[Any, float]) -> _Picker:
    return _Picker(list(shares), list(shares.values()))


def _apportion(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Split `total` by `shares` into whole numbers that add up exactly (largest remainder)."""
    weight = sum(shares.values())
    exact = {key: total * share / weight for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    rest = total - sum(counts.values())
    for key in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[:rest]:
        counts[key] += 1
    return counts


_MASK30 = (1 << 30) - 1


def _tracking_code(n: int, key: int) -> str:
    """A 12-character code from `n` < 2**60 through a keyed Feistel permutation: distinct n, distinct codes."""
    left, right = (n >> 30) & _MASK30, n & _MASK30
    for round_key in ((key >> s) & 0xFFFFFFFF for s in (0, 16, 32, 48)):
        mixed = ((right * 0x9E3779B1 + round_key) ^ (right >> 11)) * 0x85EBCA77
        left, right = right, left ^ ((mixed >> 13) & _MASK30)
    value = (left << 30) | right
    raw = "".join(TRACKING_ALPHABET[(value >> (5 * i)) & 31] for i in range(11, -1, -1))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def iin_make(rng: random.Random, *, born: dt.date, male: bool) -> str:
    """A well-formed IIN for someone born on `born` (an 11-digit start that is never issued is drawn again)."""
    century_digit = {1800: 1, 1900: 3, 2000: 5}[born.year // 100 * 100] + (0 if male else 1)
    while True:
        first = f"{born:%y%m%d}{century_digit}{rng.randrange(10_000):04d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"


def bin_make(rng: random.Random, *, registered: dt.date) -> str:
    """A well-formed BIN of a resident legal entity's head office registered in that month."""
    while True:
        first = f"{registered:%y%m}40{rng.randrange(100_000):05d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"


def _population(region: Region) -> int:
    return REGION_POPULATION.get(region.kato_code, 500)


def _city(region: Region) -> tuple[str, str]:
    return REGION_CITY.get(region.kato_code, (region.name_ru, region.name_kk))


@dataclass
class _Place:
    region: Region
    office: Office
    city: tuple[str, str]


class _Staff:
    """Who does what in each office: assignees of the office itself, heads up its chain, registrars."""

    def __init__(self, offices: list[Office]) -> None:
        rows = UserRole.objects.filter(
            user__is_active=True,
            user__office__isnull=False,
            role__in=[Role.PROSECUTOR, Role.HEAD, Role.REGISTRAR],
        ).values_list("user_id", "role", "user__office__path")
        self.workers: dict[int, list[int]] = {}
        heads: dict[str, list[int]] = {}
        registrars: dict[str, list[int]] = {}
        prosecutors: dict[str, list[int]] = {}
        for user_id, role, path in rows.order_by("user_id"):
            target = {"head": heads, "registrar": registrars, "prosecutor": prosecutors}[role]
            target.setdefault(path, []).append(user_id)
        self.heads: dict[int, list[int]] = {}
        self.registrars: dict[int, list[int]] = {}
        for office in offices:
            own = prosecutors.get(office.path, []) or heads.get(office.path, [])
            if own:
                self.workers[office.pk] = own
            self.heads[office.pk] = self._nearest(office.path, heads)
            self.registrars[office.pk] = self._nearest(office.path, registrars)

    @staticmethod
    def _nearest(path: str, people: dict[str, list[int]]) -> list[int]:
        parts = path.split(".")[:-1]
        for depth in range(len(parts), 0, -1):
            found = people.get(".".join(parts[:depth]) + ".")
            if found:
                return found
        return []


def _ensure_workers(offices: list[Office], staff: _Staff, rng: random.Random) -> list[str]:
    """One demo prosecutor, who cannot sign in, for each office that would get appeals but has nobody to
    assign them to. Made by the accounts service, so each is validated and audited like any new account."""
    from prokuratura.accounts.services import user_create

    created = []
    for office in offices:
        if office.pk in staff.workers:
            continue
        username = f"demo.prosecutor.{office.code.lower()}"
        user = User.objects.filter(username=username).first()
        if user is None:
            first, _kk = KZ_MALE[rng.randrange(len(KZ_MALE))]
            last, _kk = KZ_SURNAMES[rng.randrange(len(KZ_SURNAMES))]
            user = user_create(
                by=SETUP,
                data={"username": username, "first_name": first, "last_name": last, "office": office},
                roles={Role.PROSECUTOR},
            )
            created.append(username)
        staff.workers[office.pk] = [user.pk]
    return created


# What a repeated appeal copies from the earlier one (with its topic and place).
REPEAT_FIELDS = ("applicant_name", "applicant_iin", "applicant_phone", "applicant_email", "applicant_address")
TEXT_POOL = (
    64  # texts written per topic and language; rows pick one and put their city in (writing each is slow)
)
CITY = "\x00city\x00"


class _Writer:
    """Makes the rows of one appeal: the texts, the applicant, the path through the lifecycle.

    Rows are dicts keyed by column attribute name (`office_id`, not `office`) with the values _Inserter writes."""

    def __init__(
        self,
        *,
        rng: random.Random,
        places: _Picker,
        topics: _Picker,
        staff: _Staff,
        days: list[dt.date],
        today: dt.date,
    ) -> None:
        self.rng = rng
        self.places = places
        self.topics = topics
        self.topic_by_id: dict[int, Topic] = {t.pk: t for t in topics.items}
        self.staff = staff
        self.days = days
        self.kinds = _picker(KIND_SHARES)
        self.channels = _picker(CHANNEL_SHARES)
        self.via = {channel: _picker(shares) for channel, shares in RECEIVED_VIA.items()}
        self.outcomes = _picker(ANSWER_OUTCOME_SHARES)
        self.sensitivity = _picker(SENSITIVITY_SHARES)
        self.review_days = rule("review_working_days")
        self.from_receipt = bool(rule("review_term_from_receipt"))
        self.forward_days = rule("forwarding_working_days")
        self.notice_days = rule("extension_notice_working_days")
        self.cutoff = rule("registration_cutoff_hour")
        self.extension_months = rule("extension_max_months")
        self.filing_months = rule("complaint_filing_months")
        self.tz = timezone.get_current_timezone()
        self.today = today
        self.t = bisect.bisect_right(days, today) - 1  # the last working day up to today
        # Nothing happens after the end of `today` (a test may seed "as of" an earlier day) or after now.
        self.now = min(timezone.now(), dt.datetime.combine(today, dt.time(23, 59), tzinfo=self.tz))
        self.texts: dict[tuple[str, int], list[tuple[str, str, str]]] = {}

    # -- small helpers
    def pick(self, items: Sequence[Any]) -> Any:
        return items[int(self.rng.random() * len(items))]

    def at(self, day: dt.date, hour: int, after: dt.datetime | None = None) -> dt.datetime:
        moment = dt.datetime(day.year, day.month, day.day, hour, int(self.rng.random() * 60), tzinfo=self.tz)
        if after is not None and moment <= after:
            moment = after + dt.timedelta(minutes=5 + int(self.rng.random() * 55))
        return min(moment, self.now)

    def person(self, kazakh: bool) -> tuple[str, bool]:
        """A full name (surname, name, patronymic) and whether the person is a man."""
        rng, male = self.rng, self.rng.random() < 0.5
        lang = 1 if kazakh else 0
        if kazakh or rng.random() < 0.65:
            first = self.pick(KZ_MALE if male else KZ_FEMALE)[lang]
            surname = self.pick(KZ_SURNAMES)[lang] + ("" if male else "а")
            father = self.pick(KZ_MALE)[lang]
            if kazakh:
                patronymic = father + ("ұлы" if male else "қызы")
            else:
                patronymic = father + ("ович" if male else "овна")
            return f"{surname} {first} {patronymic}", male
        if rng.random() < 0.15:
            surname = self.pick(RU_INVARIABLE_SURNAMES)
        else:
            surname = self.pick(RU_SURNAMES) + ("" if male else "а")
        first = self.pick(RU_MALE)[0] if male else self.pick(RU_FEMALE)
        father = self.pick(RU_MALE)
        return f"{surname} {first} {father[1] if male else father[2]}", male

    def official(self) -> str:
        surname = self.pick(KZ_SURNAMES)[0]
        return f"{surname} {self.pick('АБГДЕЖКМНРСТ')}.{self.pick('АБГДЕЖКМНРСТ')}."

    def text(self, topic: str, lang: int, city: str) -> tuple[str, str, str]:
        """(subject, text, body complained about) from this topic's and language's pool, for this city."""
        key = (topic, lang)
        pool = self.texts.get(key)
        if pool is None:
            pool = self.texts[key] = [self._write_text(topic, lang) for _i in range(TEXT_POOL)]
        subject, text, body = self.pick(pool)
        return subject, text.replace(CITY, city), body.replace(CITY, city)

    def _write_text(self, topic: str, lang: int) -> tuple[str, str, str]:
        rng = self.rng
        body = self.pick(TOPIC_BODIES.get(topic, [_AKIMAT]))[lang].format(
            city=CITY, company=self.pick(COMPANIES)[lang], n=1 + int(rng.random() * 40)
        )
        subjects, sentences = TOPIC_TEXTS.get(topic, TOPIC_TEXTS["other"])
        earlier = self.today - dt.timedelta(days=20 + int(rng.random() * 400))
        slots = {
            "body": body,
            "months": 2 + int(rng.random() * 10),
            "amount": f"{rng.randrange(50, 5000) * 1000:,}".replace(",", " "),
            "date": earlier.strftime("%d.%m.%Y"),
            "year": self.today.year - 1 - int(rng.random() * 12),
            "number": f"{rng.randrange(10**14, 10**15)}",
            "official": self.official(),
        }
        first = int(rng.random() * len(sentences))
        parts = [self.pick(OPENERS)[lang], sentences[first][lang].format(**slots)]
        if len(sentences) > 1 and rng.random() < 0.5:
            parts.append(sentences[(first + 1) % len(sentences)][lang].format(**slots))
        parts += [self.pick(MIDDLES)[lang], self.pick(CLOSERS)[lang]]
        return self.pick(subjects)[lang], " ".join(p for p in parts if p), body

    # -- one appeal
    def appeal(
        self, *, status: str, i: int, seq: int, code_key: int, repeat: dict[str, Any] | None
    ) -> tuple[dict[str, Any], list[Any], _Place]:
        rng, days = self.rng, self.days
        place: _Place = repeat["place"] if repeat else self.places(rng)
        topic: Topic = self.topic_by_id[repeat["topic_id"]] if repeat else self.topics(rng)
        registered_on = days[i]
        kazakh = rng.random() < KAZAKH_SHARE
        lang = 1 if kazakh else 0
        overdue = status == "overdue"
        if overdue:
            status = Status.IN_REVIEW if rng.random() < 0.7 else Status.ASSIGNED
        kind = self.kinds(rng)
        applicant_type = (
            ApplicantType.ORGANISATION if rng.random() < ORGANISATION_SHARE else ApplicantType.INDIVIDUAL
        )
        urgent = False
        if status == "left" and rng.random() < 0.6:
            applicant_type = ApplicantType.ANONYMOUS
        elif status == "forwarded" and rng.random() < 0.1:
            applicant_type, kind, urgent = ApplicantType.ANONYMOUS, AppealKind.REPORT, True
        channel = Channel.PUBLIC_WEB if applicant_type == ApplicantType.ANONYMOUS else self.channels(rng)

        # When it came in: within working hours on the day, or (one in ten) the evening or day off before —
        # registered on the next working day either way (APPC art. 64).
        if rng.random() < 0.1 or (registered_on == self.today and self.now.astimezone(self.tz).hour < 10):
            before = registered_on - dt.timedelta(days=1)
            hour = self.cutoff + int(rng.random() * (24 - self.cutoff))
            received_at = dt.datetime(
                before.year, before.month, before.day, hour, int(rng.random() * 60), tzinfo=self.tz
            )
        else:
            received_at = self.at(registered_on, 9 + int(rng.random() * (self.cutoff - 9)))

        subject, text, body = self.text(topic.code, lang, place.city[lang])
        row: dict[str, Any] = {
            "kind": kind,
            "channel": channel,
            "received_via": self.via[channel](rng),
            "received_at": received_at,
            "registered_on": registered_on,
            # From the day of receipt (APPC art. 76 p. 1): one working day sooner for an appeal received the evening or
            # day off before its registration, unless the rule counts from registration.
            "statutory_due_date": days[
                i
                + self.review_days
                - (self.from_receipt and received_at.astimezone(self.tz).date() < registered_on)
            ],
            "status": status,
            "sensitivity": self.sensitivity(rng),
            "applicant_type": applicant_type,
            "applicant_language": "kk" if kazakh else "ru",
            "subject": subject,
            "text": text,
            "respondent_body": body if kind == AppealKind.COMPLAINT else "",
            "region_id": place.region.pk,
            "topic_id": topic.pk,
            "office_id": place.office.pk,
            "is_urgent_report": urgent,
            "tracking_code": _tracking_code(seq, code_key),
            # An anonymous appeal is triaged on the day it is registered (appeals.transitions), as the service sets it.
            "forward_due": registered_on
            if applicant_type == ApplicantType.ANONYMOUS
            else days[i + self.forward_days],
        }
        if applicant_type == ApplicantType.INDIVIDUAL:
            if repeat is not None:
                row.update(repeat["applicant"], repeated_of_id=repeat["id"])
            else:
                name, male = self.person(kazakh)
                born = dt.date(1945, 1, 1) + dt.timedelta(days=int(rng.random() * 22_000))
                street, house = self.pick(STREETS)[lang], 1 + int(rng.random() * 200)
                row.update(
                    applicant_name=name,
                    applicant_iin=iin_make(rng, born=born, male=male),
                    applicant_phone=f"+7 {self.pick(PHONE_PREFIXES)} {rng.randrange(10**7):07d}",
                    # example.com is reserved (RFC 2606): a notice about a demo appeal reaches nobody.
                    applicant_email=f"applicant{seq}@example.com" if rng.random() < 0.5 else "",
                    applicant_address=(
                        f"{place.city[1]}, {street} көшесі, {house}-үй"
                        if kazakh
                        else f"г. {place.city[0]}, ул. {street}, д. {house}"
                    ),
                )
        elif applicant_type == ApplicantType.ORGANISATION:
            brand = self.pick(COMPANIES)[lang]
            founded = dt.date(1995 + int(rng.random() * 28), 1 + int(rng.random() * 12), 1)
            row.update(
                applicant_name=f"«{brand}» ЖШС" if kazakh else f"ТОО «{brand}»",
                applicant_bin=bin_make(rng, registered=founded),
                applicant_email=f"office{seq}@example.com",
            )
        row["consent_personal_data"] = applicant_type != ApplicantType.ANONYMOUS and channel != Channel.IMPORT
        if kind == AppealKind.COMPLAINT and rng.random() < 0.3:
            learned = registered_on - dt.timedelta(days=5 + int(rng.random() * 115))
            row["decision_learned_on"] = learned
            filed = received_at.astimezone(self.tz).date()
            row["is_late"] = filed > learned + relativedelta(months=self.filing_months)
        return row, self._path(row, status=status, i=i, overdue=overdue, lang=lang), place

    def _path(self, row: dict[str, Any], *, status: str, i: int, overdue: bool, lang: int) -> list[Any]:
        """Fill in the lifecycle fields and return the transitions: (from, to, at, by_id, reason)."""
        rng, days, t = self.rng, self.days, self.t
        office_id = row["office_id"]
        workers = self.staff.workers.get(office_id, [])
        heads = self.staff.heads.get(office_id, [])
        registrars = self.staff.registrars.get(office_id, [])
        head = self.pick(heads) if heads else None
        staff_channel = row["channel"] in (Channel.STAFF, Channel.IMPORT)
        registrar = self.pick(registrars) if registrars and staff_channel else None
        row["registered_by_id"] = registrar
        row["due_date"] = row["statutory_due_date"]
        received = row["received_at"]
        steps: list[Any] = [("", Status.REGISTERED, received, registrar, "")]
        if status == Status.REGISTERED:
            return steps

        # An anonymous appeal is triaged on the day by a registrar of its office (or its head): left without
        # consideration, or forwarded at once as a report of a crime or a threat (appeals.transitions).
        triager = self.pick(registrars) if registrars else head
        if status == "left" and row["applicant_type"] == ApplicantType.ANONYMOUS:
            row.update(status=Status.LEFT_WITHOUT_CONSIDERATION, outcome=Outcome.LEFT_WITHOUT_CONSIDERATION)
            row["answered_on"] = row["registered_on"]
            left = Status.REGISTERED, Status.LEFT_WITHOUT_CONSIDERATION
            steps.append((*left, received, triager, REASON_ANONYMOUS[lang], "triage_leave"))
            return steps
        if status == "forwarded" and row["is_urgent_report"]:
            row.update(status=Status.FORWARDED, outcome=Outcome.FORWARDED, forwarded_on=row["registered_on"])
            row["forwarded_to"] = FORWARD_BODIES[2][lang]
            forwarded = Status.REGISTERED, Status.FORWARDED
            steps.append((*forwarded, received, triager, REASON_URGENT[lang], "triage_forward"))
            return steps
        if status == "forwarded" and rng.random() < 0.4:
            day = days[min(i + int(rng.random() * (self.forward_days + 1)), t)]
            row.update(status=Status.FORWARDED, outcome=Outcome.FORWARDED, forwarded_on=day)
            row["forwarded_to"] = self.pick(FORWARD_BODIES)[lang]
            forwarded_at = self.at(day, 15, received)
            steps.append((Status.REGISTERED, Status.FORWARDED, forwarded_at, head, REASON_FORWARD[lang]))
            return steps

        # Assigned (by a head) and taken into review (by the assignee), on the day or the next working day.
        assignee = self.pick(workers) if workers else None
        row["assignee_id"] = assignee
        ia = min(i + (rng.random() < 0.4), t)
        assigned_at = self.at(days[ia], 10, received)
        steps.append((Status.REGISTERED, Status.ASSIGNED, assigned_at, head, ""))
        if status == Status.ASSIGNED:
            return steps
        ir = min(ia + (rng.random() < 0.3), t)
        review_at = self.at(days[ir], 11, assigned_at)
        steps.append((Status.ASSIGNED, Status.IN_REVIEW, review_at, assignee, ""))
        if status == Status.IN_REVIEW:
            return steps  # in review within its term, or overdue

        statutory = row["statutory_due_date"]
        start = row["received_at"].astimezone(self.tz).date() if self.from_receipt else row["registered_on"]
        limit = start + relativedelta(months=self.extension_months)
        extended = status == Status.EXTENDED or (
            status in ("answered", "closed") and rng.random() < EXTENDED_AMONG_ANSWERED
        )
        last = review_at
        if extended:
            # A head's decision shortly before the statutory term ends, to at most two months in all.
            decided = min(max(ir, i + self.review_days - 1 - int(rng.random() * 3)), t)
            until = statutory + dt.timedelta(days=1 + int(rng.random() * max((limit - statutory).days, 1)))
            if status == Status.EXTENDED and until < self.today:
                until = self.today + dt.timedelta(days=1 + int(rng.random() * 20))
            until = min(max(until, statutory + dt.timedelta(days=1)), limit)
            last = self.at(days[decided], 13, review_at)
            row.update(
                due_date=until,
                extended_until=until,
                extension_reason=REASON_EXTEND[lang],
                extension_decided_by_id=head,
                extension_notice_due=days[decided + self.notice_days],
            )
            steps.append((Status.IN_REVIEW, Status.EXTENDED, last, head, REASON_EXTEND[lang]))
            if status == Status.EXTENDED:
                return steps

        if status in ("forwarded", "left"):
            day = days[min(ir + int(rng.random() * 4), t)]
            if status == "forwarded":
                target, reason = Status.FORWARDED, REASON_FORWARD[lang]
                row.update(
                    outcome=Outcome.FORWARDED, forwarded_on=day, forwarded_to=self.pick(FORWARD_BODIES)[lang]
                )
            else:
                target, reason = Status.LEFT_WITHOUT_CONSIDERATION, REASON_LEFT[lang]
                row.update(outcome=Outcome.LEFT_WITHOUT_CONSIDERATION, answered_on=day)
            row["status"] = target
            steps.append((Status.IN_REVIEW, target, self.at(day, 15, last), assignee, reason))
            return steps

        # Answered: mostly within the term, a few late; extended ones by the extended term.
        if extended:
            span = max(1, (row["due_date"] - statutory).days)
            answered_on = max(statutory + dt.timedelta(days=int(rng.random() * span)), days[ir])
        elif rng.random() < LATE_ANSWER_SHARE:
            answered_on = days[min(i + self.review_days + 1 + int(rng.random() * 10), t)]
        else:
            answered_on = days[min(max(ir, i + 1 + int(rng.triangular(0, self.review_days, 10))), t)]
        answered_on = min(answered_on, self.today)
        outcome = self.outcomes(rng)
        restored = (outcome == Outcome.SATISFIED and rng.random() < 0.85) or (
            outcome == Outcome.PARTLY_SATISFIED and rng.random() < 0.4
        )
        persons = 0
        if restored:
            roll = rng.random()
            if roll < 0.75:
                persons = 1
            elif roll < 0.95:
                persons = 2 + int(rng.random() * 4)
            else:  # a collective complaint: a workforce's wages, a block of flats
                persons = 6 + int(rng.random() * 145)
        row.update(
            status=Status.ANSWERED,
            outcome=outcome,
            answer_text=f"{self.pick(ANSWERS[outcome])[lang]} {APPEAL_RIGHT[lang]}",
            rights_restored=restored,
            persons_restored=persons,
            answered_on=answered_on,
        )
        answered_at = self.at(answered_on, 14, last)
        steps.append((steps[-1][1], Status.ANSWERED, answered_at, assignee, ""))
        if status == "answered":
            return steps
        closed_index = bisect.bisect_left(days, answered_on) + int(rng.random() * 6)
        closed_on = max(min(days[min(closed_index, t)], self.today), answered_on)
        row.update(status=Status.CLOSED, closed_on=closed_on)
        steps.append((Status.ANSWERED, Status.CLOSED, self.at(closed_on, 16, answered_at), head, ""))
        return steps


class _Inserter:
    """Writes many rows of one model in as few statements as the database allows: COPY on PostgreSQL,
    one executemany on SQLite.

    Why not `bulk_create`: it builds a model instance per row and prepares every field of it, which costs about
    1 ms of CPU per appeal with its transitions on the benchmark machine — 5 million appeals would take over an
    hour. Here the columns come from the model's own field list (new fields get their defaults, so a later
    migration does not break the seeding) and only dates and datetimes need converting.
    """

    def __init__(self, model: type[Any], using: str, *, with_ids: bool = False) -> None:
        connection = connections[using]
        self.using = using  # the connection is looked up per call: the writing thread has its own
        self.vendor = connection.vendor
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.sequence_table = model._meta.db_table
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if (with_ids or not f.primary_key) and not getattr(f, "generated", False)
        ]
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        now = timezone.now()
        self.plan: list[tuple[str, Any, Any]] = []  # (attname, default, converter) per column
        sqlite = connection.vendor == "sqlite"
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = now
            else:
                default = f.get_default()
            convert: Callable[[Any], Any] | None = None
            if sqlite and f.get_internal_type() == "DateTimeField":
                convert = _sqlite_datetime
            elif sqlite and f.get_internal_type() == "DateField":
                convert = connection.ops.adapt_datefield_value
            prepared = f.get_db_prep_save(default, connection)
            self.plan.append((f.attname, prepared, convert))
        # The same, split for speed: one dict lookup per column, conversions only where a column needs one.
        self.defaults = [(name, default) for name, default, _convert in self.plan]
        self.converters = [(i, name, c) for i, (name, _d, c) in enumerate(self.plan) if c is not None]

    def values(self, row: dict[str, Any]) -> list[Any]:
        get = row.get
        out = [get(name, default) for name, default in self.defaults]
        for i, name, convert in self.converters:
            value = get(name)
            if value is not None:
                out[i] = convert(value)
        return out

    def insert(self, rows: list[dict[str, Any]]) -> None:
        values = [self.values(row) for row in rows]
        with connections[self.using].cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for item in values:
                        copy.write_row(item)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})", values)  # noqa: S608 - names from the model

    def new_ids(self, n: int) -> list[int]:
        """Ids for n rows about to be inserted, taken so that no concurrent writer gets them."""
        connection = connections[self.using]
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.sequence_table, n],
                )
                return [r[0] for r in cursor.fetchall()]
            # SQLite: the chunk's transaction holds the database's write lock (IMMEDIATE), so nobody else inserts
            # meanwhile; stay above the AUTOINCREMENT counter too, so an id is never reused.
            cursor.execute(f"SELECT COALESCE(MAX({qn('id')}), 0) FROM {self.table}")  # noqa: S608
            last = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.sequence_table])
            seq = cursor.fetchone()
            start = max(last, seq[0] if seq else 0) + 1
            return list(range(start, start + n))


class _BulkLoad:
    """For a bulk load: sets aside what makes each inserted row expensive, and builds it again at the end.

    PostgreSQL: the secondary indexes (the full-text GIN index among them), unique constraints and foreign keys
    of the given tables, saved as `pg_get_indexdef` / `pg_get_constraintdef` and re-created from that text, so
    they come back exactly as the migrations made them (and the unique and foreign-key constraints check every
    row, old and new, when they are added back). The stored search vector is still computed per row by COPY; the
    register's words (SearchWord) are added from the new rows' vectors at the end, its insert trigger set aside.
    SQLite: the tables' own indexes and the full-text triggers of appeals_appeal; the FTS5 table then gets the
    new rows in one INSERT … SELECT. (Unique columns keep their automatic indexes: SQLite cannot drop those.)
    Both: the dashboard tally's insert trigger(s) (migration 0016) are set aside and the tally is counted once from
    all the appeals at the end (`appeal_tally_rebuild`), cheaper than chunk by chunk (docs/PERFORMANCE.md,
    "Dashboards from the tally").

    Each step commits on its own, so while the load runs the tables have no secondary indexes: this is for demo
    and benchmark databases (seed_demo). `restore` runs however the load ends — an interrupted run keeps the
    rows written so far, with everything back; only a killed process leaves them missing.
    """

    def __init__(self, using: str, models: Sequence[type[Any]], *, after_id: int) -> None:
        self.using = using
        self.tables = [m._meta.db_table for m in models]
        self.after_id = after_id  # appeals up to this id are in the full-text index already (SQLite)
        self.saved: list[str] = []  # the statements that put back what was dropped, in order
        self.fts_triggers = False
        self.words_trigger = False  # PostgreSQL: SearchWord's insert trigger was set aside
        self.tally_triggers = False  # the tally is to be counted again at the end

    def _execute(self, statements: Sequence[str]) -> None:
        with connections[self.using].cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def set_aside(self) -> None:
        connection = connections[self.using]
        qn = connection.ops.quote_name
        drops: list[str] = []
        uniques: list[str] = []
        plain: list[str] = []
        foreign_keys: list[str] = []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in self.tables:
                    cursor.execute(
                        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
                        " WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY conname",
                        [table],
                    )
                    for name, kind, definition in cursor.fetchall():
                        drops.append(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
                        restore = f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}"
                        (uniques if kind == "u" else foreign_keys).append(restore)
                    cursor.execute(
                        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
                        " JOIN pg_class c ON c.oid = i.indexrelid"
                        " WHERE i.indrelid = %s::regclass AND NOT i.indisprimary"
                        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
                        " ORDER BY c.relname",
                        [table],
                    )
                    for name, definition in cursor.fetchall():
                        drops.append(f"DROP INDEX {qn(name)}")
                        plain.append(definition)
                # Foreign keys last: one that refers to a unique column needs its index back first.
                self.saved = uniques + plain + foreign_keys

                def set_aside(trigger: str) -> bool:
                    """Disable the appeals' insert trigger `trigger` for the load, where it exists."""
                    if Appeal._meta.db_table not in self.tables:
                        return False
                    cursor.execute(
                        "SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s",
                        [Appeal._meta.db_table, trigger],
                    )
                    if cursor.fetchone() is None:
                        return False
                    drops.append(f"ALTER TABLE {qn(Appeal._meta.db_table)} DISABLE TRIGGER {qn(trigger)}")
                    return True

                # The register's words (SearchWord): one fill at the end instead of a lookup per chunk. The tally:
                # counted again at the end (COPY only inserts, so only its insert trigger).
                self.words_trigger = set_aside(PG_WORDS_INSERT_TRIGGER)
                self.tally_triggers = set_aside(TALLY_INSERT_TRIGGER)
            else:
                marks = ", ".join(["%s"] * len(self.tables))
                cursor.execute(
                    "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN (" + marks + ")"  # noqa: S608
                    " AND sql IS NOT NULL AND type IN ('index', 'trigger') ORDER BY type, name",
                    self.tables,
                )
                for kind, name, sql in cursor.fetchall():
                    if kind == "trigger" and not name.startswith((FTS_TABLE, TALLY_TRIGGER_PREFIX)):
                        continue  # only the full-text and tally triggers can be replaced by one fill at the end
                    drops.append(f"DROP {kind.upper()} {qn(name)}")
                    self.saved.append(sql)
                    trigger = kind == "trigger"
                    self.fts_triggers = self.fts_triggers or (trigger and name.startswith(FTS_TABLE))
                    self.tally_triggers = self.tally_triggers or (
                        trigger and name.startswith(TALLY_TRIGGER_PREFIX)
                    )
        self._execute(drops)

    def restore(self) -> None:
        connection = connections[self.using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Each index sorted in memory rather than merged from many runs on disk (this session only).
                cursor.execute("SET maintenance_work_mem = '1GB'")
            elif self.fts_triggers:
                table = connection.ops.quote_name(Appeal._meta.db_table)
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE}(rowid, doc) SELECT id, {FTS_DOCUMENT_SQL} FROM {table} WHERE id > %s",  # noqa: S608 - constant names
                    [self.after_id],
                )
        self._execute(self.saved)
        if connection.vendor == "postgresql":
            self._execute(["RESET maintenance_work_mem"])
        if self.words_trigger:
            qn = connection.ops.quote_name
            self._execute(
                [f"ALTER TABLE {qn(Appeal._meta.db_table)} ENABLE TRIGGER {qn(PG_WORDS_INSERT_TRIGGER)}"]
            )
            fill_search_words(using=self.using, after_id=self.after_id)
        if self.tally_triggers:
            if connection.vendor == "postgresql":
                qn = connection.ops.quote_name
                self._execute(
                    [f"ALTER TABLE {qn(Appeal._meta.db_table)} ENABLE TRIGGER {qn(TALLY_INSERT_TRIGGER)}"]
                )
            appeal_tally_rebuild(by=SETUP, reason="seed_demo: the tally counted once after the bulk load")


def _bulk_session(using: str) -> None:
    """The writing connection's settings for a bulk load (it is closed when the load ends). SQLite: no fsync at
    each chunk's commit (a crash may lose the last chunks, which a demo database can afford) and a page cache
    big enough for the unique indexes that stay."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA cache_size = -524288")  # KiB: 512 MB


def _sqlite_datetime(value: dt.datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime (UTC, naive, `str`), without its generic checks."""
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every working day from start to end by the real calendar (one query for the administrator's exceptions)."""
    calendar = WorkingCalendar(start, end)
    days, day = [], start
    while day <= end:
        if calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _windows(t: int) -> dict[str, tuple[int, int]]:
    """Which registration days (indices into the working-day list, t = today or the last working day before)
    each status class is drawn from, so its dates fit its status: open ones are recent, overdue ones are past
    their term, extended ones within two months, finished ones anywhere in the span."""
    return {
        "registered": (t - 1, t),
        "assigned": (t - 4, t),
        "in_review": (t - 14, t),
        "extended": (t - 30, t - 12),
        "overdue": (t - 40, t - 16),
        "answered": (t - 45, t - 1),
        "closed": (0, t - 20),
        "forwarded": (0, t),
        "left": (0, t),
    }


def seed_appeals(
    *,
    count: int,
    seed: int = 1,
    chunk_size: int = CHUNK_SIZE,
    today: dt.date | None = None,
    progress: Callable[[SeedReport], None] | None = None,
    bulk: bool | None = None,
) -> SeedReport:
    """Add `count` demo appeals (and their transitions) to the register, `chunk_size` appeals per transaction.
    Needs the office tree and topics (seed_demo makes the offices, migrations the topics).

    `bulk` (default: from BULK_MIN appeals on) builds the indexes once at the end instead of row by row (see
    _BulkLoad); it applies only outside a transaction, where the chunks are written on a second thread."""
    using = DEFAULT_DB_ALIAS  # the writing thread opens its own connection to it
    started = time.perf_counter()
    report = SeedReport()
    if count <= 0:
        return report
    today = today or timezone.localdate()
    regions = list(Region.objects.using(using).all())
    offices = list(Office.objects.using(using).filter(is_active=True))
    topics = list(Topic.objects.using(using).filter(is_active=True))
    if not offices or not topics:
        raise ValueError("Demo appeals need offices and topics: run migrate and seed_demo first.")
    start_pk = Appeal.objects.using(using).aggregate(last=Max("pk"))["last"] or 0
    rng = random.Random(f"prokuratura-demo:{seed}:{start_pk}")  # noqa: S311 - demo data, reproducible on purpose
    code_key = random.Random(f"tracking:{seed}").getrandbits(64)  # noqa: S311

    # Where appeals go: regions by population, then the region's offices; the GPO takes a small share.
    places, weights = [], []
    for region in regions:
        own = [o for o in offices if o.region_id == region.pk]
        districts = [o for o in own if o.level != Office.Level.REGIONAL]
        regional = [o for o in own if o.level == Office.Level.REGIONAL]
        for office in own:
            if not districts or not regional:
                share = 1 / len(own)
            elif office.level == Office.Level.REGIONAL:
                share = REGIONAL_OFFICE_SHARE / len(regional)
            else:
                share = (1 - REGIONAL_OFFICE_SHARE) / len(districts)
            places.append(_Place(region, office, _city(region)))
            weights.append(_population(region) * share)
    if not places:
        raise ValueError("No office belongs to a region: run seed_demo first.")
    gpo = next((o for o in sorted(offices, key=lambda o: o.path) if o.level == Office.Level.GENERAL), None)
    if gpo is not None:
        gpo_total = sum(weights) * GPO_SHARE / (1 - GPO_SHARE)
        population = sum(_population(r) for r in regions)
        for region in regions:
            places.append(_Place(region, gpo, _city(region)))
            weights.append(gpo_total * _population(region) / population)
    used_offices = list({p.office.pk: p.office for p in places}.values())

    staff = _Staff(offices)
    report.users_created = _ensure_workers(used_offices, staff, rng)

    # The working days of the span, and enough after today for the due dates of recent appeals.
    years = max(1, math.ceil(count / PER_YEAR))
    span_start = today - relativedelta(years=years) + dt.timedelta(days=1)
    days = _working_days(span_start, today + dt.timedelta(days=120))
    windows = _windows(bisect.bisect_right(days, today) - 1)

    # Which status classes register on each working day.
    per_day: dict[int, list[str]] = {}
    for status, n in _apportion(count, STATUS_SHARES).items():
        low, high = windows[status]
        low = max(0, low)
        high = max(low, high)
        for _n in range(n):
            per_day.setdefault(rng.randint(low, high), []).append(status)

    writer = _Writer(
        rng=rng,
        places=_Picker(places, weights),
        topics=_Picker(topics, [TOPIC_SHARES.get(t.code, 1) for t in topics]),
        staff=staff,
        days=days,
        today=today,
    )
    inserters = (_Inserter(Appeal, using, with_ids=True), _Inserter(AppealTransition, using))
    answered: deque[dict[str, Any]] = deque(maxlen=5000)  # earlier answered appeals a repeat can refer to
    buffer: list[tuple[dict[str, Any], list[Any], _Place]] = []
    seq = start_pk
    tally: Counter[str] = Counter()
    # Outside a transaction, chunk N is written by a second thread (its own connection) while this one makes
    # chunk N+1: the database's work (indexes, the full-text index) and Python's overlap. Inside one (tests,
    # a caller's atomic block) another connection could not see the caller's rows, so everything runs here.
    background = ThreadPoolExecutor(max_workers=1) if not connections[using].in_atomic_block else None
    in_flight: Future[_Written] | None = None
    if bulk is None:
        bulk = count >= BULK_MIN
    bulk_load = (
        _BulkLoad(using, [Appeal, AppealTransition], after_id=start_pk) if bulk and background else None
    )

    def collect() -> None:
        nonlocal in_flight
        if in_flight is None:
            return
        written, in_flight = in_flight.result(), None
        report.appeals += written.appeals
        report.transitions += written.transitions
        # Repeats may refer to a chunk only once it is written (same point with or without the thread, so the
        # same seed gives the same register either way).
        answered.extend(written.answered)
        report.seconds = time.perf_counter() - started
        if progress:
            progress(report)

    def flush() -> None:
        nonlocal in_flight
        collect()
        if not buffer:
            return
        rows = list(buffer)
        buffer.clear()
        if background is not None:
            in_flight = background.submit(_write_chunk, rows, inserters=inserters, using=using)
        else:
            in_flight = Future()
            in_flight.set_result(_write_chunk(rows, inserters=inserters, using=using))

    # The rows make no reference cycles; the cyclic collector would only walk millions of live objects.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if bulk_load is not None and background is not None:
            bulk_load.set_aside()
            background.submit(_bulk_session, using).result()
        for index in sorted(per_day):
            classes = per_day.pop(index)
            rng.shuffle(classes)
            day_rows = []
            for status in classes:
                seq += 1
                repeat = None
                if answered and rng.random() < REPEAT_SHARE:
                    candidate = answered[int(rng.random() * len(answered))]
                    if candidate["answered_on"] < days[index]:
                        repeat = candidate
                day_rows.append(
                    writer.appeal(status=status, i=index, seq=seq, code_key=code_key, repeat=repeat)
                )
                if report.first_day is None:
                    report.first_day = days[index]
                report.last_day = days[index]
            day_rows.sort(key=lambda item: item[0]["received_at"])  # numbers go in order of receipt
            for item in day_rows:
                tally[item[0]["status"]] += 1
                buffer.append(item)
                if len(buffer) >= chunk_size:
                    flush()
        flush()
        collect()
    finally:
        if background is not None:
            if in_flight is not None:
                in_flight.exception()  # let a failed chunk's transaction end before the thread goes
            background.submit(lambda: connections[using].close()).result()  # the thread's own connection
            background.shutdown()
        if collecting:
            gc.enable()
        if bulk_load is not None:
            restoring = time.perf_counter()
            bulk_load.restore()
            report.index_seconds = time.perf_counter() - restoring

    report.by_status = dict(tally)
    assert report.first_day is not None and report.last_day is not None  # noqa: S101 - count > 0
    with transaction.atomic(using=using):
        audit_record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            object_type="appeals.demo",
            object_id=str(seed),
            object_repr="demo appeals",
            changes={
                "appeals": report.appeals,
                "transitions": report.transitions,
                "registered_from": report.first_day.isoformat(),
                "registered_to": report.last_day.isoformat(),
                "users_created": report.users_created,
                "seed": seed,
            },
            reason=f"seed_demo --appeals {count} --seed {seed}",
        )
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class _Written:
    appeals: int
    transitions: int
    answered: list[dict[str, Any]]


def _write_chunk(
    rows: list[tuple[dict[str, Any], list[Any], _Place]],
    *,
    inserters: tuple[_Inserter, _Inserter],
    using: str,
) -> _Written:
    """Number and insert one chunk in one transaction, with the chunk's registration counters locked."""
    appeals, transitions = inserters
    keys = {(row["office_id"], row["registered_on"].year) for row, _steps, _place in rows}
    codes = {place.office.pk: place.office.code for _row, _steps, place in rows}
    counters_qs = RegistrationCounter.objects.using(using)
    with transaction.atomic(using=using):
        counters_qs.bulk_create(
            [RegistrationCounter(office_id=office_id, year=year, last=0) for office_id, year in sorted(keys)],
            ignore_conflicts=True,
        )
        counters = {
            (c.office_id, c.year): c
            for c in counters_qs.select_for_update().filter(
                office_id__in={k[0] for k in keys}, year__in={k[1] for k in keys}
            )
        }
        ids = appeals.new_ids(len(rows))
        steps_rows = []
        for appeal_id, (row, steps, _place) in zip(ids, rows, strict=True):
            counter = counters[(row["office_id"], row["registered_on"].year)]
            counter.last += 1
            row["id"] = appeal_id
            row["reg_number"] = f"{codes[row['office_id']]}-{counter.year}-{counter.last:06d}"
            for a, b, at, by, reason, *named in steps:
                steps_rows.append(
                    {
                        "appeal_id": appeal_id,
                        "step": named[0] if named else STEP_INTO.get(b, "") if a else "create",
                        "from_status": a,
                        "to_status": b,
                        "at": at,
                        "by_id": by,
                        "reason": reason,
                    }
                )
        appeals.insert([row for row, _steps, _place in rows])
        transitions.insert(steps_rows)
        counters_qs.bulk_update([c for k, c in counters.items() if k in keys], ["last"])
    answered = [
        {
            "id": row["id"],
            "answered_on": row["answered_on"],
            "topic_id": row["topic_id"],
            "place": place,
            "applicant": {name: row.get(name, "") for name in REPEAT_FIELDS},
        }
        for row, _steps, place in rows
        if row.get("applicant_iin") and row["status"] in (Status.ANSWERED, Status.CLOSED)
    ]
    return _Written(len(rows), len(steps_rows), answered)
