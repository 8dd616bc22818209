"""What the demo requests for legal assistance (`cooperation.request_demo`) are made of: the plan (direction, kind,
partner state, focus area, the status each request is taken to and how many days ago it started) and the words.

The partner states are those of the treaty register that have a bilateral treaty or a convention the resolver
offers; each request's basis is chosen from the resolver's answer when it is seeded. Texts are in Russian, the
working language of most requests; requests received from the United States, the United Kingdom, the Emirates and
Korea are in English (and get a translation into Russian, as the Language Law asks). Names of persons are invented.
"""

from __future__ import annotations

from typing import NamedTuple

OUT, IN = "outgoing", "incoming"
MLA, EXT, TSP, TCP = "mla", "extradition", "transfer_sentenced", "transfer_proceedings"
CYBER, DRUGS, ML, TERROR, CORRUPT, TRAFFIC = (
    "cybercrime",
    "drug_trafficking",
    "money_laundering",
    "terrorism",
    "corruption",
    "trafficking_in_persons",
)
# The ICCS section of each focus area's typical offence ("" : the plan row names its own).
ICCS = {CYBER: "09", DRUGS: "06", ML: "07", TERROR: "09", CORRUPT: "07", TRAFFIC: "02", "": "07"}


class Row(NamedTuple):
    direction: str
    kind: str
    partner: str  # ISO alpha-2
    focus: str  # focus area code, "" for none
    status: str  # the status the request is taken to
    age: int  # days before today it was drafted (outgoing) or received (incoming)
    variant: str = ""  # "own_national", "dual_criminality", "resumed", "astana", "urgent", "early"


# 34 outgoing and 27 incoming over two years; the recent ones open, the older ones mostly ended, some overdue.
PLAN: tuple[Row, ...] = (
    # --- outgoing ---
    Row(OUT, MLA, "CN", CYBER, "draft", 6),
    Row(OUT, EXT, "KG", DRUGS, "draft", 3, "urgent"),
    Row(OUT, MLA, "AE", ML, "draft", 10),
    Row(OUT, MLA, "TR", CORRUPT, "checked", 14),
    Row(OUT, TCP, "UZ", DRUGS, "checked", 9),
    Row(OUT, MLA, "RU", TRAFFIC, "signed", 12, "astana"),
    Row(OUT, EXT, "UA", CORRUPT, "signed", 16),
    Row(OUT, MLA, "US", CYBER, "sent", 20),
    Row(OUT, MLA, "KG", DRUGS, "sent", 75),  # no acknowledgement after two months: overdue
    Row(OUT, EXT, "AE", ML, "sent", 50),  # overdue
    Row(OUT, MLA, "GB", ML, "acknowledged", 120),
    Row(OUT, MLA, "CN", CORRUPT, "acknowledged", 300),  # unexecuted past the term: overdue
    Row(OUT, TSP, "TR", "", "acknowledged", 90),
    Row(OUT, MLA, "KR", CYBER, "in_execution", 150, "astana"),
    Row(OUT, MLA, "UZ", TERROR, "in_execution", 260),  # restricted; overdue
    Row(OUT, EXT, "TJ", DRUGS, "in_execution", 140),  # overdue
    Row(OUT, MLA, "IT", CORRUPT, "acknowledged", 60),
    Row(OUT, MLA, "RU", CYBER, "executed", 400),
    Row(OUT, MLA, "AE", ML, "executed", 520),
    Row(OUT, EXT, "KG", TERROR, "executed", 600),  # restricted
    Row(OUT, MLA, "TR", TRAFFIC, "executed", 330),
    Row(OUT, MLA, "CN", DRUGS, "executed", 680),
    Row(OUT, TSP, "KR", "", "executed", 560),
    Row(OUT, MLA, "UA", CORRUPT, "executed", 450, "astana"),
    Row(OUT, MLA, "IN", DRUGS, "executed", 470),
    Row(OUT, TCP, "UZ", "", "executed", 500),
    Row(OUT, EXT, "RU", "", "executed", 700),
    Row(OUT, MLA, "GB", CORRUPT, "partly_executed", 480),
    Row(OUT, MLA, "US", CYBER, "partly_executed", 610),
    Row(OUT, MLA, "AE", TRAFFIC, "partly_executed", 380),
    Row(OUT, EXT, "IT", CORRUPT, "refused", 540),
    Row(OUT, MLA, "TR", ML, "refused", 420),
    Row(OUT, MLA, "KG", DRUGS, "withdrawn", 250),
    Row(OUT, MLA, "GE", ML, "withdrawn", 200, "early"),  # withdrawn while a draft
    # --- incoming ---
    Row(IN, MLA, "RU", CYBER, "received", 1),
    Row(IN, EXT, "KG", DRUGS, "received", 5, "urgent"),  # not registered in time: overdue
    Row(IN, MLA, "UZ", ML, "registered", 8),
    Row(IN, MLA, "US", CYBER, "registered", 20),  # translation still under way; the check is overdue
    Row(IN, MLA, "TR", CORRUPT, "returned", 40),
    Row(IN, MLA, "UZ", TRAFFIC, "checked", 12),
    Row(IN, TSP, "TR", "", "checked", 25),
    Row(IN, MLA, "CN", CYBER, "checked", 15),
    Row(IN, MLA, "RU", CYBER, "assigned", 30),
    Row(IN, MLA, "KG", DRUGS, "assigned", 90),  # overdue
    Row(IN, MLA, "CN", ML, "assigned", 70),  # overdue
    Row(IN, EXT, "UZ", DRUGS, "assigned", 35),
    Row(IN, TCP, "KG", "", "assigned", 110),  # overdue
    Row(IN, MLA, "UA", CORRUPT, "executed", 100),
    Row(IN, MLA, "KG", TERROR, "executed", 60),  # restricted
    Row(IN, MLA, "AE", ML, "partly_executed", 140),
    Row(IN, MLA, "RU", CYBER, "materials_sent", 300),
    Row(IN, MLA, "UZ", DRUGS, "materials_sent", 500),
    Row(IN, MLA, "TR", TRAFFIC, "materials_sent", 380),
    Row(IN, EXT, "KG", DRUGS, "materials_sent", 420),
    Row(IN, TSP, "UZ", "", "materials_sent", 600),
    Row(IN, MLA, "KR", CORRUPT, "materials_sent", 650),
    Row(IN, MLA, "GB", ML, "materials_sent", 550),
    Row(IN, MLA, "KG", DRUGS, "materials_sent", 160, "resumed"),  # returned, completed, executed
    Row(IN, EXT, "RU", "", "refused", 200, "own_national"),  # a citizen of Kazakhstan
    Row(IN, MLA, "RU", "", "refused", 280, "dual_criminality"),  # defamation: no offence in Kazakhstan
)

# The partner's central authority as our requests address it, and as its requests sign.
AUTHORITY = {
    "RU": "Генеральная прокуратура Российской Федерации",
    "KG": "Генеральная прокуратура Кыргызской Республики",
    "UZ": "Генеральная прокуратура Республики Узбекистан",
    "TJ": "Генеральная прокуратура Республики Таджикистан",
    "UA": "Офис Генерального прокурора Украины",
    "GE": "Прокуратура Грузии",
    "CN": "Министерство юстиции Китайской Народной Республики",
    "TR": "Министерство юстиции Турецкой Республики, Генеральный директорат по международному праву",
    "AE": "Ministry of Justice of the United Arab Emirates",
    "US": "U.S. Department of Justice, Criminal Division, Office of International Affairs",
    "GB": "UK Central Authority, Home Office",
    "KR": "Ministry of Justice of the Republic of Korea, International Criminal Affairs Division",
    "IT": "Ministero della Giustizia, Direzione generale degli affari internazionali",
    "IN": "Ministry of Home Affairs of the Republic of India, Internal Security Division",
}
# The partner's language a translation of our request is ordered into (none: Russian is accepted).
TRANSLATE_INTO = {
    "CN": "zh",
    "TR": "tr",
    "AE": "ar",
    "US": "en",
    "GB": "en",
    "KR": "ko",
    "IT": "it",
    "IN": "en",
}
ENGLISH_SENDERS = frozenset({"US", "GB", "AE", "KR"})
TRANSLATORS = ["ТОО «Бюро переводов Лингва»", "ТОО «Астана Транслейт»", "Переводчик Ким Е.В."]

REQUESTING = "Генеральная прокуратура Республики Казахстан"
CONDUCTING = {
    CYBER: "Департамент по противодействию киберпреступности МВД Республики Казахстан",
    DRUGS: "Департамент по противодействию наркопреступности МВД Республики Казахстан",
    ML: "Служба экономических расследований Агентства по финансовому мониторингу",
    TERROR: "Комитет национальной безопасности Республики Казахстан",
    CORRUPT: "Агентство Республики Казахстан по противодействию коррупции",
    TRAFFIC: "Департамент полиции города Астаны",
    "": "Департамент полиции города Алматы",
}


class Story(NamedTuple):
    article: str
    subject: str
    facts: str
    sought: str
    purpose: str
    penalty: str
    limitation: str


# Outgoing: Kazakhstan's own cases (Criminal Code of the Republic of Kazakhstan, 2014).
STORIES: dict[str, Story] = {
    CYBER: Story(
        "ст. 205 ч. 2, ст. 190 ч. 4 УК РК",
        "Досудебное расследование по факту неправомерного доступа к информационной системе банка и хищения "
        "денег клиентов путём мошенничества",
        "В период с марта по май неустановленные лица через серверы, размещённые на территории запрашиваемой "
        "Стороны, получили доступ к системе дистанционного обслуживания банка второго уровня и перевели со "
        "счетов 214 клиентов 386 млн тенге на подконтрольные счета.",
        "Сведения о владельцах IP-адресов и учётных записей, журналы подключений, копии содержимого серверов.",
        "Установление лиц, совершивших преступление, и закрепление электронных доказательств.",
        "лишение свободы на срок от 5 до 10 лет с конфискацией имущества",
        "ст. 71 УК РК: 10 лет (тяжкое преступление)",
    ),
    DRUGS: Story(
        "ст. 297 ч. 3 п. 1, ст. 286 ч. 4 УК РК",
        "Досудебное расследование по факту контрабанды и незаконного сбыта наркотических средств в особо "
        "крупном размере в составе преступной группы",
        "Группа лиц организовала перевозку синтетических наркотиков (мефедрон, 48 кг) с территории "
        "запрашиваемой Стороны в грузовом автотранспорте; партия задержана на пункте пропуска «Нур Жолы».",
        "Допрос свидетелей — водителей и экспедитора, выемка товаросопроводительных документов, сведения о "
        "движении денег по счетам отправителя груза.",
        "Изобличение организаторов канала контрабанды и установление источника поставки.",
        "лишение свободы на срок от 15 до 20 лет с конфискацией имущества либо пожизненное лишение свободы",
        "ст. 71 УК РК: 15 лет (особо тяжкое преступление)",
    ),
    ML: Story(
        "ст. 218 ч. 3 УК РК",
        "Досудебное расследование по факту легализации (отмывания) денег, полученных преступным путём, в особо "
        "крупном размере",
        "Руководители ТОО «Дала Трейд» через фиктивные внешнеторговые контракты вывели 2,1 млрд тенге, "
        "полученных от хищения бюджетных средств, на счета компаний, зарегистрированных в запрашиваемом "
        "государстве, и приобрели на них недвижимость.",
        "Выписки по банковским счетам компаний, сведения о бенефициарных владельцах, регистрационные документы "
        "на объекты недвижимости; арест выявленного имущества.",
        "Установление пути движения преступных доходов и обеспечение их последующей конфискации.",
        "лишение свободы на срок от 7 до 10 лет с конфискацией имущества",
        "ст. 71 УК РК: 15 лет (особо тяжкое преступление)",
    ),
    TERROR: Story(
        "ст. 258 ч. 2, ст. 257 ч. 2 УК РК",
        "Досудебное расследование по факту финансирования террористической деятельности и участия в "
        "террористической группе",
        "Гражданин Республики Казахстан в составе группы собирал деньги через электронные кошельки и переводил "
        "их участникам международной террористической организации через посредников в запрашиваемом "
        "государстве.",
        "Сведения о держателях электронных кошельков и банковских карт, допрос посредников в качестве "
        "свидетелей, изъятие переписки.",
        "Изобличение участников группы и пресечение каналов финансирования терроризма.",
        "лишение свободы на срок от 8 до 12 лет с конфискацией имущества",
        "ст. 71 УК РК: давность не применяется к террористическим преступлениям",
    ),
    CORRUPT: Story(
        "ст. 366 ч. 4, ст. 189 ч. 4 УК РК",
        "Досудебное расследование по факту получения взятки в особо крупном размере и присвоения бюджетных "
        "средств должностным лицом акимата",
        "Заместитель акима области получил от подрядчика 450 млн тенге за победу в государственных закупках; "
        "часть денег переведена на счета его родственников в запрашиваемом государстве.",
        "Банковские документы по счетам, сведения об имуществе, допрос родственников подозреваемого.",
        "Доказывание получения взятки и розыск имущества для возмещения ущерба.",
        "лишение свободы на срок от 10 до 15 лет с конфискацией имущества и пожизненным лишением права "
        "занимать государственные должности",
        "ст. 71 УК РК: давность не применяется к особо тяжким коррупционным преступлениям",
    ),
    TRAFFIC: Story(
        "ст. 128 ч. 3 УК РК",
        "Досудебное расследование по факту торговли людьми, совершённой преступной группой",
        "Под предлогом трудоустройства официантками группа вывезла в запрашиваемое государство семь "
        "гражданок Республики Казахстан, у которых там отобрали паспорта и принуждали к труду.",
        "Установление места нахождения потерпевших, их допрос с использованием видеоконференции, сведения о "
        "работодателях.",
        "Изобличение вербовщиков и организаторов, защита потерпевших.",
        "лишение свободы на срок от 7 до 12 лет с конфискацией имущества",
        "ст. 71 УК РК: 15 лет (особо тяжкое преступление)",
    ),
    "": Story(
        "ст. 190 ч. 4 УК РК",
        "Досудебное расследование по факту мошенничества в особо крупном размере",
        "Подозреваемый от имени строительной компании заключил с 63 гражданами договоры долевого участия, "
        "получил 1,4 млрд тенге и скрылся за пределами Республики Казахстан.",
        "Сведения о месте нахождения подозреваемого и его имуществе.",
        "Привлечение подозреваемого к уголовной ответственности и возмещение ущерба потерпевшим.",
        "лишение свободы на срок от 5 до 10 лет с конфискацией имущества",
        "ст. 71 УК РК: 10 лет (тяжкое преступление)",
    ),
}
MEASURES = {
    CYBER: ["bank_records", "locate", "search_seizure"],
    DRUGS: ["testimony", "search_seizure", "bank_records"],
    ML: ["bank_records", "freeze_confiscate"],
    TERROR: ["bank_records", "testimony", "search_seizure"],
    CORRUPT: ["bank_records", "testimony", "freeze_confiscate"],
    TRAFFIC: ["locate", "videoconference", "testimony"],
    "": ["locate", "testimony"],
}

# Incoming: the partner's cases, as its request states them.
FOREIGN: dict[str, Story] = {
    CYBER: Story(
        "ст. 272 ч. 2, ст. 159.6 ч. 4 УК РФ",
        "Уголовное дело о неправомерном доступе к компьютерной информации и мошенничестве в сфере "
        "компьютерной информации",
        "Неизвестные лица с использованием вредоносной программы похитили данные банковских карт граждан; "
        "деньги выводились через счета, открытые в банках Республики Казахстан.",
        "Сведения о владельцах счетов и движении денег, допрос владельцев счетов.",
        "Установление лиц, причастных к хищению.",
        "лишение свободы на срок до 10 лет",
        "ст. 78 УК: 10 лет",
    ),
    DRUGS: Story(
        "ст. 229.1 ч. 4 УК",
        "Уголовное дело о контрабанде наркотических средств в крупном размере",
        "Задержана партия гашиша (112 кг), ввезённая транзитом через Республику Казахстан; отправитель — "
        "компания, зарегистрированная в г. Алматы.",
        "Допрос директора компании-отправителя, выемка документов о перевозке, сведения о счетах.",
        "Установление организаторов контрабанды.",
        "лишение свободы на срок от 15 до 20 лет",
        "15 лет",
    ),
    ML: Story(
        "ст. 243 УК Республики Узбекистан",
        "Уголовное дело о легализации доходов, полученных от преступной деятельности",
        "Доходы от хищения средств государственного предприятия размещены на депозитах и в недвижимости в "
        "Республике Казахстан через подставных лиц.",
        "Выписки по счетам, сведения о недвижимом имуществе, арест имущества.",
        "Установление и возврат преступных доходов.",
        "лишение свободы на срок от 5 до 10 лет",
        "10 лет",
    ),
    TERROR: Story(
        "ст. 315 УК Кыргызской Республики",
        "Уголовное дело о финансировании террористической деятельности",
        "Гражданин Кыргызской Республики переводил деньги участникам террористической организации через "
        "платёжные терминалы, установленные в Республике Казахстан.",
        "Сведения о переводах через платёжные системы, видеозаписи с терминалов, допрос свидетелей.",
        "Изобличение лица и пресечение канала финансирования.",
        "лишение свободы на срок от 10 до 15 лет",
        "давность не применяется",
    ),
    CORRUPT: Story(
        "ст. 368 ч. 4 УК Украины",
        "Уголовное производство о получении неправомерной выгоды должностным лицом",
        "Должностное лицо таможни получило неправомерную выгоду за беспрепятственный пропуск грузов; часть "
        "денег размещена на счетах в банках Республики Казахстан.",
        "Банковские документы, допрос свидетелей, арест денег на счетах.",
        "Доказывание получения выгоды и возврат активов.",
        "лишение свободы на срок от 8 до 12 лет",
        "15 лет",
    ),
    TRAFFIC: Story(
        "ст. 80 УК Турецкой Республики",
        "Уголовное дело о торговле людьми",
        "Гражданки Республики Казахстан были завербованы для работы в отелях и подвергнуты эксплуатации; "
        "вербовщик действовал через агентство в г. Шымкенте.",
        "Допрос потерпевших, сведения об агентстве и его руководителях.",
        "Изобличение вербовщиков.",
        "лишение свободы на срок от 8 до 12 лет",
        "15 лет",
    ),
    "": Story(
        "ст. 159 ч. 4 УК РФ",
        "Уголовное дело о мошенничестве в особо крупном размере",
        "Обвиняемый, руководя инвестиционной компанией, похитил деньги 340 вкладчиков и выехал в Республику "
        "Казахстан.",
        "Выдача обвиняемого для привлечения к уголовной ответственности.",
        "Уголовное преследование обвиняемого.",
        "лишение свободы на срок до 10 лет",
        "ст. 78 УК РФ: 10 лет",
    ),
}
# Requests received in English (the partner's own words).
ENGLISH: dict[str, Story] = {
    CYBER: Story(
        "18 U.S.C. § 1030 (computer fraud), § 1343 (wire fraud)",
        "Federal criminal investigation of a ransomware scheme against hospitals",
        "Ransom payments in cryptocurrency were exchanged for cash through accounts held with an exchange "
        "registered in the Astana International Financial Centre.",
        "Subscriber and transaction records of the listed exchange accounts; interview of the account holders.",
        "To identify the persons who received the ransom payments.",
        "imprisonment of up to 20 years",
        "18 U.S.C. § 3282: 5 years",
    ),
    ML: Story(
        "Proceeds of Crime Act 2002, ss. 327-329",
        "Criminal investigation of money laundering through property purchases",
        "Funds embezzled abroad were laundered through companies that hold bank accounts in Kazakhstan and "
        "property in London.",
        "Bank statements and account-opening documents; restraint of the balances.",
        "To trace and restrain the proceeds of crime.",
        "imprisonment of up to 14 years",
        "no limitation for indictable offences",
    ),
    CORRUPT: Story(
        "Criminal Act of the Republic of Korea, art. 133 (bribery)",
        "Criminal investigation of bribes paid to obtain a construction contract",
        "A Korean contractor paid bribes through a consultant whose company holds accounts in Almaty.",
        "Bank records of the consultant's company; witness statements of its employees.",
        "To prove the payment of the bribes.",
        "imprisonment of up to 5 years",
        "7 years",
    ),
}


class Person(NamedTuple):
    name: str
    born: str  # ISO date
    nationality: str  # ISO alpha-2, "" for stateless
    location: str
    description: str = ""


SUSPECTS = {
    "KZ": [
        Person("Ахметов Серик Болатович", "1984-03-12", "KZ", "г. Алматы, ул. Сейфуллина, 410"),
        Person("Жумабаев Нурлан Ерикович", "1979-11-02", "KZ", "г. Астана, пр. Туран, 37"),
        Person("Ким Виталий Олегович", "1990-07-25", "KZ", "г. Шымкент, мкр. Нурсат, 12"),
        Person("Сулейменова Айжан Маратовна", "1987-01-30", "KZ", "г. Караганда, ул. Ерубаева, 5"),
        Person("Оспанов Данияр Кайратович", "1992-05-18", "KZ", "г. Атырау, ул. Сатпаева, 21"),
    ],
    "RU": [Person("Смирнов Алексей Викторович", "1981-09-14", "RU", "г. Новосибирск")],
    "KG": [Person("Токтогулов Бакыт Асанович", "1988-04-09", "KG", "г. Бишкек")],
    "UZ": [Person("Рахимов Шерзод Алишерович", "1986-12-01", "UZ", "г. Ташкент")],
    "TJ": [Person("Назаров Фарход Саидович", "1983-06-22", "TJ", "г. Душанбе")],
    "UA": [Person("Коваленко Игорь Петрович", "1977-02-15", "UA", "г. Киев")],
    "CN": [Person("Ли Вэй", "1985-08-08", "CN", "г. Урумчи")],
    "TR": [Person("Йылмаз Мехмет", "1980-10-10", "TR", "г. Анталья")],
    "AE": [Person("Аль-Мансури Халид", "1975-03-03", "AE", "г. Дубай")],
    "GB": [Person("Stevens Robert", "1972-12-12", "GB", "London")],
    "US": [Person("Miller John", "1989-01-19", "US", "Chicago")],
    "KR": [Person("Пак Мин Су", "1982-04-27", "KR", "г. Сеул")],
    "IT": [Person("Росси Марко", "1974-06-30", "IT", "г. Милан")],
    "IN": [Person("Шарма Раджеш", "1983-09-09", "IN", "г. Нью-Дели")],
    "GE": [Person("Беридзе Давид", "1985-02-02", "GE", "г. Тбилиси")],
}
WITNESSES = [
    Person("Иванова Ольга Сергеевна", "1991-05-05", "", "по месту работы в запрашиваемом государстве"),
    Person("Бекова Динара Ерлановна", "1995-08-17", "KZ", "адрес проживания в запрашиваемом государстве"),
]
DESCRIPTION = "Рост около 178 см, телосложение среднее, волосы тёмные, шрам над левой бровью."

OUTCOME = {
    "executed": "Запрос исполнен в полном объёме; материалы поступили и приобщены к делу.",
    "partly_executed": "Запрос исполнен частично: банк запрашиваемой Стороны сведения по двум счетам не "
    "представил, указав на истечение срока их хранения.",
    "refused": "Запрашиваемая Сторона отказала в исполнении: лицу предоставлен статус беженца.",
    "refused_mla": "Запрашиваемая Сторона отказала в исполнении: отсутствует двойная криминальность деяния.",
    "extradited": "Лицо выдано и этапировано в Республику Казахстан.",
    "transferred": "Осуждённый передан для дальнейшего отбывания наказания в Республике Казахстан.",
    "proceedings": "Уголовное преследование принято запрашиваемой Стороной; возбуждено уголовное дело.",
    "incoming": "Запрошенные процессуальные действия проведены, протоколы и документы получены.",
    "incoming_partly": "Проведены допросы; выписки по одному счёту не получены — счёт закрыт в 2019 году.",
    "incoming_extradition": "Генеральный прокурор принял решение о выдаче; лицо передано запрашивающей Стороне.",
    "incoming_transfer": "Осуждённый передан запрашивающей Стороне для дальнейшего отбывания наказания.",
}
EXECUTING = {
    CYBER: ("Департамент по противодействию киберпреступности МВД", "D-710000000"),
    DRUGS: ("Департамент полиции города Алматы", "R-750000000"),
    ML: ("Агентство по финансовому мониторингу", "D-710000000"),
    TERROR: ("Комитет национальной безопасности", "D-710000000"),
    CORRUPT: ("Агентство по противодействию коррупции", "R-750000000"),
    TRAFFIC: ("Департамент полиции города Шымкента", "R-790000000"),
    "": ("Департамент полиции города Астаны", "D-710000000"),
}
WITHDRAW_REASON = "Уголовное дело прекращено в связи со смертью подозреваемого (ст. 35 УПК РК)."
WITHDRAW_EARLY = "Доказательства получены в ходе расследования; направление запроса не требуется."
RETURN_REASON = "Не изложены обстоятельства преступления и не указаны сведения о счетах (п. 15 ст. 18 Конвенции ООН против транснациональной организованной преступности)."
RESUME_REASON = "Запрашивающая Сторона представила дополнительные сведения."
RECIPROCITY = "Республика Казахстан гарантирует исполнение аналогичных запросов запрашиваемой Стороны."
DEFAMATION = Story(
    "ст. 128.1 ч. 2 УК РФ (клевета)",
    "Уголовное дело о клевете, распространённой в сети Интернет",
    "Гражданин Республики Казахстан разместил в социальной сети сведения, порочащие заявителя.",
    "Допрос лица в качестве подозреваемого, выемка переписки.",
    "Уголовное преследование за клевету.",
    "штраф до 1 млн рублей",
    "2 года",
)
DUAL_CRIMINALITY = (
    "Клевета с 2020 года не является уголовным правонарушением в Республике Казахстан (ответственность за неё "
    "перенесена в Кодекс об административных правонарушениях): двойная криминальность отсутствует."
)
OWN_NATIONAL = (
    "Лицо является гражданином Республики Казахстан (ст. 11 Конституции, ст. 590 УПК РК); "
    "запрашивающей Стороне предложено передать уголовное преследование."
)
