"""The default texts of a request's letters: for each kind of request (mutual legal assistance, extradition, transfer
of a sentenced person, transfer of criminal proceedings), the request itself and its cover letter, in Kazakh,
Russian and English.

Each is a Django template over the request's plain facts (cooperation.request_letters.request_letter_facts):
`request.number`, `request.date`, `request.partner`, `request.foreign_authority`, `request.foreign_reference`,
`request.basis` (the treaty's title in the letter's language) or `request.reciprocity` with
`request.reciprocity_assurance`, `request.case_number`, `request.offence_article`, the contents UNTOC art. 18(15)
asks for (`request.requesting_authority`, `request.proceedings_subject`, `request.conducting_authority`,
`request.facts_summary`, `request.assistance_sought`, `request.procedure`, `request.purpose`), `request.measures`,
the extradition facts (`request.for_prosecution`, `request.for_sentence`, `request.penalty`, `request.limitation`,
`request.warrant`, `request.judgment`, `request.sentence_remaining`), `request.assurances`,
`request.translations`, `request.urgent`, `persons` and `sought` (each with `name`, `role`, `nationality`,
`birth_date`, `location`, `identity_document`, `description`), `office`, `signer`, `today`.
Free texts come without their final full stop: the template ends the sentence. A blank line starts a paragraph.

The requests are written in the register of the Prosecutor General's Office as central authority: the requested
state's law is never stated, nothing is asserted that the officer has not recorded, and articles of the partner's
law are not cited. Only missing (kind, document, language) rows are created, so an administrator's edit is kept.
"""

from django.db import migrations


def t(text: str) -> str:
    """Write the filters that need double quotes by token, to keep the texts readable."""
    return text.replace("@DMY", 'date:"d.m.Y"').replace("@JFY", 'date:"j F Y"').replace("@JOIN", 'join:", "')


def body(*paragraphs: str) -> str:
    return t("\n\n".join(paragraphs))


# --- English ----------------------------------------------------------------------------------------------------

GPO_EN = "The Prosecutor General's Office of the Republic of Kazakhstan"
EN = {
    "urgent": "{% if request.urgent %}The request is urgent: the competent authorities are kindly asked to execute it "
    "as a matter of priority.{% endif %}",
    "requesting": "Requesting authority: {% if request.requesting_authority %}{{ request.requesting_authority }}"
    "{% else %}the Prosecutor General's Office of the Republic of Kazakhstan{% endif %}.",
    "requested": "Requested authority: {{ request.foreign_authority }}, {{ request.partner }}"
    "{% if request.foreign_reference %} (your reference {{ request.foreign_reference }}){% endif %}.",
    "basis": "Legal basis: {% if request.basis %}{{ request.basis }}.{% else %}the principle of reciprocity."
    "{% if request.reciprocity_assurance %} {{ request.reciprocity_assurance }}.{% endif %}{% endif %}",
    "case": "{% if request.case_number %}Criminal case: pre-trial investigation No. {{ request.case_number }} "
    "(Unified Register of Pre-trial Investigations).{% endif %}",
    "subject": "{% if request.proceedings_subject %}Subject and nature of the proceedings: "
    "{{ request.proceedings_subject }}.{% endif %}",
    "conducting": "{% if request.conducting_authority %}Authority conducting the proceedings: "
    "{{ request.conducting_authority }}.{% endif %}",
    "offence": "{% if request.offence_article %}Legal qualification of the offence: {{ request.offence_article }}."
    "{% endif %}",
    "facts": "{% if request.facts_summary %}Summary of the relevant facts: {{ request.facts_summary }}.{% endif %}",
    "persons": "{% if persons %}Persons concerned:{% for p in persons %}\n– {{ p.name }}, {{ p.role|lower }}"
    "{% if p.nationality %}, nationality: {{ p.nationality }}{% endif %}"
    "{% if p.birth_date %}, born on {{ p.birth_date|@JFY }}{% endif %}"
    "{% if p.location %}, location: {{ p.location }}{% endif %}"
    "{% if forloop.last %}.{% else %};{% endif %}{% endfor %}{% endif %}",
    "measures": "Assistance sought:{% for m in request.measures %}\n– {{ m|lower }}"
    "{% if forloop.last %}.{% else %};{% endif %}{% endfor %}"
    "{% if request.assistance_sought %}\n{{ request.assistance_sought }}.{% endif %}",
    "procedure": "{% if request.procedure %}Procedure to be followed: {{ request.procedure }}.{% endif %}",
    "purpose": "{% if request.purpose %}Purpose of the request: {{ request.purpose }}.{% endif %}",
    "confidential": GPO_EN
    + " asks that the request and its contents be kept confidential, except to the extent "
    "necessary to execute it, and undertakes that the information and evidence obtained will not be used for "
    "purposes other than the proceedings stated in the request without the prior consent of the requested Party.",
    "reciprocity": "{% if request.reciprocity %}The Republic of Kazakhstan assures the requested Party that it will "
    "execute its requests in like cases in accordance with the law of the Republic of Kazakhstan.{% endif %}",
    "sought": "{% for p in sought %}{{ p.role|capfirst }}: {{ p.name }}"
    "{% if p.birth_date %}, born on {{ p.birth_date|@JFY }}{% endif %}"
    "{% if p.nationality %}, nationality: {{ p.nationality }}{% endif %}"
    "{% if p.identity_document %}, identity document: {{ p.identity_document }}{% endif %}"
    "{% if p.location %}, believed to be at: {{ p.location }}{% endif %}."
    "{% if p.description %} Description: {{ p.description }}.{% endif %}\n\n{% endfor %}",
    "penalty": "{% if request.penalty %}Penalty provided by the law: {{ request.penalty }}.{% endif %}",
    "warrant": "{% if request.for_prosecution and request.warrant %}Decision on detention (arrest warrant): "
    "{{ request.warrant }}.{% endif %}",
    "judgment": "{% if request.judgment %}Enforceable judgment: {{ request.judgment }}.{% endif %}"
    "{% if request.sentence_remaining %} Part of the sentence remaining to be served: "
    "{{ request.sentence_remaining }}.{% endif %}",
    "limitation": "{% if request.limitation %}Provisions on limitation: {{ request.limitation }}.{% endif %}",
    "assurances": "{% if request.assurances %}The Republic of Kazakhstan gives the following assurances:"
    "{% for a in request.assurances %}\n– {{ a|lower }}{% if forloop.last %}.{% else %};{% endif %}{% endfor %}"
    "{% endif %}",
    "documents": "The documents required by the applicable treaty are enclosed.",
}
EN_KIND = {
    "mla": "request for mutual legal assistance",
    "extradition": "request for extradition",
    "transfer_sentenced": "request for the transfer of a sentenced person",
    "transfer_proceedings": "request for the transfer of criminal proceedings",
}

EN_REQUESTS = {
    "mla": (
        "Request for mutual legal assistance in a criminal matter"
        "{% if request.case_number %} (case No. {{ request.case_number }}){% endif %}",
        body(
            GPO_EN
            + " requests the competent authorities of {{ request.partner }} to render legal assistance in "
            "the criminal matter described below.",
            EN["urgent"],
            EN["requesting"],
            EN["requested"],
            EN["basis"],
            EN["case"],
            EN["subject"],
            EN["conducting"],
            EN["offence"],
            EN["facts"],
            EN["persons"],
            EN["measures"],
            EN["procedure"],
            EN["purpose"],
            EN["confidential"],
            EN["reciprocity"],
            GPO_EN
            + " would be grateful for the materials obtained in the execution of the request to be sent to "
            "it, quoting the number of the request.",
        ),
    ),
    "extradition": (
        "Request for extradition{% if sought %} of {{ sought.0.name }}{% endif %}",
        body(
            GPO_EN
            + " requests the competent authorities of {{ request.partner }} to extradite to the Republic of "
            "Kazakhstan the person named below {% if request.for_sentence %}for the enforcement of a sentence"
            "{% else %}for criminal prosecution{% endif %}.",
            EN["urgent"],
            EN["requested"],
            EN["basis"],
            EN["sought"],
            EN["case"],
            EN["subject"],
            EN["facts"],
            EN["offence"],
            EN["penalty"],
            EN["warrant"],
            "{% if request.for_sentence %}" + EN["judgment"] + "{% endif %}",
            EN["limitation"],
            EN["assurances"],
            EN["reciprocity"],
            EN["documents"],
            GPO_EN + " asks to be informed of the decision taken on the request and, should extradition be "
            "granted, of the place and date of the surrender.",
        ),
    ),
    "transfer_sentenced": (
        "Request for the transfer of a sentenced person{% if sought %} ({{ sought.0.name }}){% endif %}",
        body(
            GPO_EN
            + " requests the competent authorities of {{ request.partner }} to consider the transfer of the "
            "sentenced person named below for the further serving of the sentence.",
            EN["urgent"],
            EN["requested"],
            EN["basis"],
            EN["sought"],
            EN["judgment"],
            EN["offence"],
            EN["facts"],
            EN["case"],
            EN["reciprocity"],
            EN["documents"],
            GPO_EN + " asks to be informed of the decision taken on the request.",
        ),
    ),
    "transfer_proceedings": (
        "Request for the transfer of criminal proceedings"
        "{% if request.case_number %} (case No. {{ request.case_number }}){% endif %}",
        body(
            GPO_EN + " requests the competent authorities of {{ request.partner }} to take over the criminal "
            "proceedings in the case described below.",
            EN["urgent"],
            EN["requesting"],
            EN["requested"],
            EN["basis"],
            EN["case"],
            EN["subject"],
            EN["conducting"],
            EN["offence"],
            EN["facts"],
            EN["persons"],
            EN["purpose"],
            EN["reciprocity"],
            "The materials of the criminal case, in the original or as certified copies, are enclosed.",
            GPO_EN
            + " asks to be informed of the decision taken on the request and, in due course, of the final "
            "decision in the case.",
        ),
    ),
}


def en_cover(kind: str) -> tuple[str, str]:
    return (
        "Transmission of the " + EN_KIND[kind] + " No. {{ request.number }}",
        body(
            GPO_EN + " presents its compliments to the {{ request.foreign_authority }} and has the honour to "
            "transmit herewith the " + EN_KIND[kind] + " No. {{ request.number }} of {{ request.date|@JFY }}"
            "{% if request.case_number %} in criminal case No. {{ request.case_number }}{% endif %}.",
            "{% if request.basis %}The request is made under the {{ request.basis }}.{% else %}The request is made "
            "on the basis of reciprocity.{% endif %}",
            "{% if request.translations %}The request is accompanied by its translation into "
            "{{ request.translations|@JOIN }}.{% endif %}",
            "{% if request.urgent %}As the matter is urgent, the Prosecutor General's Office would be grateful if "
            "the request were executed as a matter of priority.{% endif %}",
            "The Prosecutor General's Office would be grateful to be informed of the receipt of the request and of "
            "the authority entrusted with its execution, and in due course of the outcome, quoting the number "
            "above.",
            GPO_EN + " avails itself of this opportunity to renew to the {{ request.foreign_authority }} the "
            "assurances of its highest consideration.",
            "Enclosure: as stated in the text.",
        ),
    )


# --- Russian ----------------------------------------------------------------------------------------------------

GPO_RU = "Генеральная прокуратура Республики Казахстан"
RU = {
    "urgent": "{% if request.urgent %}Запрос является срочным. Просим исполнить его в первоочередном порядке."
    "{% endif %}",
    "requesting": "Запрашивающий орган: {% if request.requesting_authority %}{{ request.requesting_authority }}"
    "{% else %}Генеральная прокуратура Республики Казахстан{% endif %}.",
    "requested": "Запрашиваемый орган: {{ request.foreign_authority }} ({{ request.partner }})"
    "{% if request.foreign_reference %}, ваш № {{ request.foreign_reference }}{% endif %}.",
    "basis": "Правовое основание: {% if request.basis %}{{ request.basis }}.{% else %}принцип взаимности."
    "{% if request.reciprocity_assurance %} {{ request.reciprocity_assurance }}.{% endif %}{% endif %}",
    "case": "{% if request.case_number %}Уголовное дело: досудебное расследование № {{ request.case_number }} "
    "(Единый реестр досудебных расследований).{% endif %}",
    "subject": "{% if request.proceedings_subject %}Предмет и характер расследования: "
    "{{ request.proceedings_subject }}.{% endif %}",
    "conducting": "{% if request.conducting_authority %}Орган, осуществляющий производство по делу: "
    "{{ request.conducting_authority }}.{% endif %}",
    "offence": "{% if request.offence_article %}Квалификация деяния: {{ request.offence_article }}.{% endif %}",
    "facts": "{% if request.facts_summary %}Краткое изложение обстоятельств дела: {{ request.facts_summary }}."
    "{% endif %}",
    "persons": "{% if persons %}Сведения о лицах:{% for p in persons %}\n– {{ p.name }}, {{ p.role|lower }}"
    "{% if p.nationality %}, гражданство: {{ p.nationality }}{% endif %}"
    "{% if p.birth_date %}, дата рождения: {{ p.birth_date|@DMY }}{% endif %}"
    "{% if p.location %}, местонахождение: {{ p.location }}{% endif %}"
    "{% if forloop.last %}.{% else %};{% endif %}{% endfor %}{% endif %}",
    "measures": "Запрашиваемая помощь:{% for m in request.measures %}\n– {{ m|lower }}"
    "{% if forloop.last %}.{% else %};{% endif %}{% endfor %}"
    "{% if request.assistance_sought %}\n{{ request.assistance_sought }}.{% endif %}",
    "procedure": "{% if request.procedure %}Особый порядок исполнения: {{ request.procedure }}.{% endif %}",
    "purpose": "{% if request.purpose %}Цель запроса: {{ request.purpose }}.{% endif %}",
    "confidential": GPO_RU + " просит обеспечить конфиденциальность запроса и его содержания, за исключением "
    "случаев, когда это необходимо для его исполнения, и гарантирует, что полученные сведения и доказательства не "
    "будут использованы в иных целях, чем производство, указанное в запросе, без предварительного согласия "
    "запрашиваемой Стороны.",
    "reciprocity": "{% if request.reciprocity %}Республика Казахстан гарантирует запрашиваемой Стороне исполнение "
    "её запросов в аналогичных случаях в соответствии с законодательством Республики Казахстан.{% endif %}",
    "sought": "{% for p in sought %}{{ p.role|capfirst }}: {{ p.name }}"
    "{% if p.birth_date %}, дата рождения: {{ p.birth_date|@DMY }}{% endif %}"
    "{% if p.nationality %}, гражданство: {{ p.nationality }}{% endif %}"
    "{% if p.identity_document %}, документ, удостоверяющий личность: {{ p.identity_document }}{% endif %}"
    "{% if p.location %}, предполагаемое местонахождение: {{ p.location }}{% endif %}."
    "{% if p.description %} Описание внешности, особые приметы: {{ p.description }}.{% endif %}\n\n{% endfor %}",
    "penalty": "{% if request.penalty %}Санкция статьи: {{ request.penalty }}.{% endif %}",
    "warrant": "{% if request.for_prosecution and request.warrant %}Решение о заключении под стражу: "
    "{{ request.warrant }}.{% endif %}",
    "judgment": "{% if request.judgment %}Вступивший в законную силу приговор: {{ request.judgment }}.{% endif %}"
    "{% if request.sentence_remaining %} Неотбытый срок наказания: {{ request.sentence_remaining }}.{% endif %}",
    "limitation": "{% if request.limitation %}Положения о сроках давности: {{ request.limitation }}.{% endif %}",
    "assurances": "{% if request.assurances %}Республика Казахстан предоставляет следующие гарантии:"
    "{% for a in request.assurances %}\n– {{ a|lower }}{% if forloop.last %}.{% else %};{% endif %}{% endfor %}"
    "{% endif %}",
    "documents": "Документы, предусмотренные применимым договором, прилагаются.",
}
RU_KIND = {
    "mla": "о правовой помощи",
    "extradition": "о выдаче",
    "transfer_sentenced": "о передаче осуждённого",
    "transfer_proceedings": "о передаче уголовного преследования",
}

RU_REQUESTS = {
    "mla": (
        "Запрос о правовой помощи по уголовному делу"
        "{% if request.case_number %} № {{ request.case_number }}{% endif %}",
        body(
            GPO_RU
            + " просит компетентные органы запрашиваемой Стороны ({{ request.partner }}) оказать правовую "
            "помощь по уголовному делу, указанному ниже.",
            RU["urgent"],
            RU["requesting"],
            RU["requested"],
            RU["basis"],
            RU["case"],
            RU["subject"],
            RU["conducting"],
            RU["offence"],
            RU["facts"],
            RU["persons"],
            RU["measures"],
            RU["procedure"],
            RU["purpose"],
            RU["confidential"],
            RU["reciprocity"],
            "Просим направить материалы, полученные в результате исполнения запроса, в Генеральную прокуратуру "
            "Республики Казахстан с указанием номера запроса.",
        ),
    ),
    "extradition": (
        "Запрос о выдаче{% if sought %} ({{ sought.0.name }}){% endif %}",
        body(
            GPO_RU
            + " просит компетентные органы запрашиваемой Стороны ({{ request.partner }}) выдать Республике "
            "Казахстан указанное ниже лицо {% if request.for_sentence %}для приведения в исполнение приговора"
            "{% else %}для привлечения к уголовной ответственности{% endif %}.",
            RU["urgent"],
            RU["requested"],
            RU["basis"],
            RU["sought"],
            RU["case"],
            RU["subject"],
            RU["facts"],
            RU["offence"],
            RU["penalty"],
            RU["warrant"],
            "{% if request.for_sentence %}" + RU["judgment"] + "{% endif %}",
            RU["limitation"],
            RU["assurances"],
            RU["reciprocity"],
            RU["documents"],
            "Просим сообщить о решении, принятом по запросу, а в случае его удовлетворения — о месте и дате "
            "передачи лица.",
        ),
    ),
    "transfer_sentenced": (
        "Запрос о передаче осуждённого для отбывания наказания{% if sought %} ({{ sought.0.name }}){% endif %}",
        body(
            GPO_RU
            + " просит компетентные органы запрашиваемой Стороны ({{ request.partner }}) рассмотреть вопрос "
            "о передаче указанного ниже осуждённого для дальнейшего отбывания наказания.",
            RU["urgent"],
            RU["requested"],
            RU["basis"],
            RU["sought"],
            RU["judgment"],
            RU["offence"],
            RU["facts"],
            RU["case"],
            RU["reciprocity"],
            RU["documents"],
            "Просим сообщить о решении, принятом по запросу.",
        ),
    ),
    "transfer_proceedings": (
        "Запрос о передаче уголовного преследования"
        "{% if request.case_number %} по уголовному делу № {{ request.case_number }}{% endif %}",
        body(
            GPO_RU
            + " просит компетентные органы запрашиваемой Стороны ({{ request.partner }}) принять уголовное "
            "преследование по уголовному делу, указанному ниже.",
            RU["urgent"],
            RU["requesting"],
            RU["requested"],
            RU["basis"],
            RU["case"],
            RU["subject"],
            RU["conducting"],
            RU["offence"],
            RU["facts"],
            RU["persons"],
            RU["purpose"],
            RU["reciprocity"],
            "Материалы уголовного дела в подлинниках (заверенных копиях) прилагаются.",
            "Просим сообщить о решении, принятом по запросу, а в дальнейшем — об окончательном решении по делу.",
        ),
    ),
}


def ru_cover(kind: str) -> tuple[str, str]:
    return (
        "О направлении запроса " + RU_KIND[kind],
        body(
            GPO_RU
            + " свидетельствует Вам своё уважение и имеет честь направить запрос "
            + RU_KIND[kind]
            + " "
            "№ {{ request.number }} от {{ request.date|@DMY }}"
            "{% if request.case_number %} по уголовному делу № {{ request.case_number }}{% endif %}.",
            "{% if request.basis %}Правовое основание запроса: {{ request.basis }}.{% else %}Запрос направляется на "
            "основе принципа взаимности.{% endif %}",
            "{% if request.translations %}К запросу прилагается его перевод (язык перевода: "
            "{{ request.translations|@JOIN|lower }}).{% endif %}",
            "{% if request.urgent %}Ввиду срочности просим исполнить запрос в первоочередном порядке.{% endif %}",
            "Просим подтвердить получение запроса, сообщить, какому органу поручено его исполнение, и в дальнейшем "
            "проинформировать о результатах его рассмотрения, указав номер запроса.",
            "Пользуясь случаем, " + GPO_RU + " возобновляет Вам уверения в своём высоком уважении.",
            "Приложение: по тексту.",
        ),
    )


# --- Kazakh -----------------------------------------------------------------------------------------------------

GPO_KK = "Қазақстан Республикасының Бас прокуратурасы"
KK = {
    "urgent": "{% if request.urgent %}Сұрау салу шұғыл болып табылады. Оны бірінші кезекте орындауды сұраймыз."
    "{% endif %}",
    "requesting": "Сұрау салушы орган: {% if request.requesting_authority %}{{ request.requesting_authority }}"
    "{% else %}Қазақстан Республикасының Бас прокуратурасы{% endif %}.",
    "requested": "Сұрау салынатын орган: {{ request.foreign_authority }} ({{ request.partner }})"
    "{% if request.foreign_reference %}, сіздің № {{ request.foreign_reference }}{% endif %}.",
    "basis": "Құқықтық негіз: {% if request.basis %}{{ request.basis }}.{% else %}өзаралық қағидаты."
    "{% if request.reciprocity_assurance %} {{ request.reciprocity_assurance }}.{% endif %}{% endif %}",
    "case": "{% if request.case_number %}Қылмыстық іс: № {{ request.case_number }} сотқа дейінгі тергеп-тексеру "
    "(Сотқа дейінгі тергеп-тексерулердің бірыңғай тізілімі).{% endif %}",
    "subject": "{% if request.proceedings_subject %}Тергеп-тексерудің мәні мен сипаты: "
    "{{ request.proceedings_subject }}.{% endif %}",
    "conducting": "{% if request.conducting_authority %}Іс бойынша іс жүргізуді жүзеге асыратын орган: "
    "{{ request.conducting_authority }}.{% endif %}",
    "offence": "{% if request.offence_article %}Әрекеттің саралануы: {{ request.offence_article }}.{% endif %}",
    "facts": "{% if request.facts_summary %}Іс мән-жайларының қысқаша баяндалуы: {{ request.facts_summary }}."
    "{% endif %}",
    "persons": "{% if persons %}Адамдар туралы мәліметтер:{% for p in persons %}\n– {{ p.name }}, {{ p.role|lower }}"
    "{% if p.nationality %}, азаматтығы: {{ p.nationality }}{% endif %}"
    "{% if p.birth_date %}, туған күні: {{ p.birth_date|@DMY }}{% endif %}"
    "{% if p.location %}, тұрған жері: {{ p.location }}{% endif %}"
    "{% if forloop.last %}.{% else %};{% endif %}{% endfor %}{% endif %}",
    "measures": "Сұралатын көмек:{% for m in request.measures %}\n– {{ m|lower }}"
    "{% if forloop.last %}.{% else %};{% endif %}{% endfor %}"
    "{% if request.assistance_sought %}\n{{ request.assistance_sought }}.{% endif %}",
    "procedure": "{% if request.procedure %}Орындаудың ерекше тәртібі: {{ request.procedure }}.{% endif %}",
    "purpose": "{% if request.purpose %}Сұрау салудың мақсаты: {{ request.purpose }}.{% endif %}",
    "confidential": GPO_KK
    + " сұрау салудың және оның мазмұнының құпиялылығын, оны орындау үшін қажет болған "
    "жағдайларды қоспағанда, қамтамасыз етуді сұрайды және алынған мәліметтер мен дәлелдемелердің сұрау салынатын "
    "Тараптың алдын ала келісімінсіз сұрау салуда көрсетілген іс жүргізуден өзге мақсаттарда пайдаланылмайтынына "
    "кепілдік береді.",
    "reciprocity": "{% if request.reciprocity %}Қазақстан Республикасы сұрау салынатын Тарапқа ұқсас жағдайларда "
    "оның сұрау салуларын Қазақстан Республикасының заңнамасына сәйкес орындауға кепілдік береді.{% endif %}",
    "sought": "{% for p in sought %}{{ p.role|capfirst }}: {{ p.name }}"
    "{% if p.birth_date %}, туған күні: {{ p.birth_date|@DMY }}{% endif %}"
    "{% if p.nationality %}, азаматтығы: {{ p.nationality }}{% endif %}"
    "{% if p.identity_document %}, жеке басын куәландыратын құжат: {{ p.identity_document }}{% endif %}"
    "{% if p.location %}, болжамды тұрған жері: {{ p.location }}{% endif %}."
    "{% if p.description %} Сыртқы келбетінің сипаттамасы, ерекше белгілері: {{ p.description }}.{% endif %}"
    "\n\n{% endfor %}",
    "penalty": "{% if request.penalty %}Баптың санкциясы: {{ request.penalty }}.{% endif %}",
    "warrant": "{% if request.for_prosecution and request.warrant %}Күзетпен ұстау туралы шешім: "
    "{{ request.warrant }}.{% endif %}",
    "judgment": "{% if request.judgment %}Заңды күшіне енген үкім: {{ request.judgment }}.{% endif %}"
    "{% if request.sentence_remaining %} Жазаның өтелмеген мерзімі: {{ request.sentence_remaining }}.{% endif %}",
    "limitation": "{% if request.limitation %}Ескіру мерзімдері туралы ережелер: {{ request.limitation }}."
    "{% endif %}",
    "assurances": "{% if request.assurances %}Қазақстан Республикасы мынадай кепілдіктер береді:"
    "{% for a in request.assurances %}\n– {{ a|lower }}{% if forloop.last %}.{% else %};{% endif %}{% endfor %}"
    "{% endif %}",
    "documents": "Қолданылатын шартта көзделген құжаттар қоса беріліп отыр.",
}
KK_KIND = {
    "mla": "құқықтық көмек",
    "extradition": "ұстап беру",
    "transfer_sentenced": "сотталған адамды беру",
    "transfer_proceedings": "қылмыстық қудалауды беру",
}

KK_REQUESTS = {
    "mla": (
        "{% if request.case_number %}№ {{ request.case_number }} қылмыстық іс бойынша құқықтық көмек{% else %}"
        "Қылмыстық іс бойынша құқықтық көмек{% endif %} туралы сұрау салу",
        body(
            GPO_KK
            + " сұрау салынатын Тараптың ({{ request.partner }}) құзыретті органдарынан төменде көрсетілген "
            "қылмыстық іс бойынша құқықтық көмек көрсетуді сұрайды.",
            KK["urgent"],
            KK["requesting"],
            KK["requested"],
            KK["basis"],
            KK["case"],
            KK["subject"],
            KK["conducting"],
            KK["offence"],
            KK["facts"],
            KK["persons"],
            KK["measures"],
            KK["procedure"],
            KK["purpose"],
            KK["confidential"],
            KK["reciprocity"],
            "Сұрау салуды орындау нәтижесінде алынған материалдарды сұрау салудың нөмірін көрсете отырып, "
            "Қазақстан Республикасының Бас прокуратурасына жолдауды сұраймыз.",
        ),
    ),
    "extradition": (
        "Ұстап беру туралы сұрау салу{% if sought %} ({{ sought.0.name }}){% endif %}",
        body(
            GPO_KK
            + " сұрау салынатын Тараптың ({{ request.partner }}) құзыретті органдарынан төменде көрсетілген "
            "адамды {% if request.for_sentence %}үкімді орындау үшін{% else %}қылмыстық жауаптылыққа тарту үшін"
            "{% endif %} Қазақстан Республикасына ұстап беруді сұрайды.",
            KK["urgent"],
            KK["requested"],
            KK["basis"],
            KK["sought"],
            KK["case"],
            KK["subject"],
            KK["facts"],
            KK["offence"],
            KK["penalty"],
            KK["warrant"],
            "{% if request.for_sentence %}" + KK["judgment"] + "{% endif %}",
            KK["limitation"],
            KK["assurances"],
            KK["reciprocity"],
            KK["documents"],
            "Сұрау салу бойынша қабылданған шешім туралы, ал ол қанағаттандырылған жағдайда — адамды беру орны мен "
            "күні туралы хабарлауды сұраймыз.",
        ),
    ),
    "transfer_sentenced": (
        "Сотталған адамды жазасын өтеу үшін беру туралы сұрау салу{% if sought %} ({{ sought.0.name }}){% endif %}",
        body(
            GPO_KK
            + " сұрау салынатын Тараптың ({{ request.partner }}) құзыретті органдарынан төменде көрсетілген "
            "сотталған адамды жазасын одан әрі өтеу үшін беру мәселесін қарауды сұрайды.",
            KK["urgent"],
            KK["requested"],
            KK["basis"],
            KK["sought"],
            KK["judgment"],
            KK["offence"],
            KK["facts"],
            KK["case"],
            KK["reciprocity"],
            KK["documents"],
            "Сұрау салу бойынша қабылданған шешім туралы хабарлауды сұраймыз.",
        ),
    ),
    "transfer_proceedings": (
        "{% if request.case_number %}№ {{ request.case_number }} қылмыстық іс бойынша қылмыстық{% else %}"
        "Қылмыстық{% endif %} қудалауды беру туралы сұрау салу",
        body(
            GPO_KK
            + " сұрау салынатын Тараптың ({{ request.partner }}) құзыретті органдарынан төменде көрсетілген "
            "қылмыстық іс бойынша қылмыстық қудалауды қабылдауды сұрайды.",
            KK["urgent"],
            KK["requesting"],
            KK["requested"],
            KK["basis"],
            KK["case"],
            KK["subject"],
            KK["conducting"],
            KK["offence"],
            KK["facts"],
            KK["persons"],
            KK["purpose"],
            KK["reciprocity"],
            "Қылмыстық іс материалдары түпнұсқада (куәландырылған көшірмелерде) қоса беріліп отыр.",
            "Сұрау салу бойынша қабылданған шешім туралы, ал кейіннен іс бойынша түпкілікті шешім туралы "
            "хабарлауды сұраймыз.",
        ),
    ),
}


def kk_cover(kind: str) -> tuple[str, str]:
    return (
        KK_KIND[kind].capitalize() + " туралы сұрау салуды жолдау туралы",
        body(
            GPO_KK + " Сізге өзінің құрметін білдіреді және"
            "{% if request.case_number %} № {{ request.case_number }} қылмыстық іс бойынша{% endif %} "
            "{{ request.date|@DMY }} жылғы № {{ request.number }} " + KK_KIND[kind] + " туралы сұрау салуды "
            "жолдауды өзіне мәртебе санайды.",
            "{% if request.basis %}Сұрау салудың құқықтық негізі: {{ request.basis }}.{% else %}Сұрау салу өзаралық "
            "қағидаты негізінде жолданады.{% endif %}",
            "{% if request.translations %}Сұрау салуға оның аудармасы қоса беріледі (аударма тілі: "
            "{{ request.translations|@JOIN|lower }}).{% endif %}",
            "{% if request.urgent %}Шұғылдығына байланысты сұрау салуды бірінші кезекте орындауды сұраймыз."
            "{% endif %}",
            "Сұрау салудың алынғанын растауды, оны орындау қай органға тапсырылғанын хабарлауды және кейіннен сұрау "
            "салудың нөмірін көрсете отырып, оны қарау нәтижелері туралы ақпарат беруді сұраймыз.",
            "Осы мүмкіндікті пайдалана отырып, " + GPO_KK + " Сізге өзінің жоғары құрметін тағы да растайды.",
            "Қосымша: мәтін бойынша.",
        ),
    )


KINDS = ("mla", "extradition", "transfer_sentenced", "transfer_proceedings")


def defaults() -> dict[tuple[str, str, str], tuple[str, str]]:
    rows: dict[tuple[str, str, str], tuple[str, str]] = {}
    for kind in KINDS:
        rows[(kind, "request", "en")] = (t(EN_REQUESTS[kind][0]), EN_REQUESTS[kind][1])
        rows[(kind, "request", "ru")] = (t(RU_REQUESTS[kind][0]), RU_REQUESTS[kind][1])
        rows[(kind, "request", "kk")] = (t(KK_REQUESTS[kind][0]), KK_REQUESTS[kind][1])
        rows[(kind, "cover", "en")] = en_cover(kind)
        rows[(kind, "cover", "ru")] = ru_cover(kind)
        rows[(kind, "cover", "kk")] = kk_cover(kind)
    return rows


def load(apps, schema_editor):
    RequestTemplate = apps.get_model("cooperation", "RequestTemplate")
    for (kind, document, language), (subject, text) in defaults().items():
        RequestTemplate.objects.get_or_create(
            kind=kind, document=document, language=language, defaults={"subject": subject, "body": text}
        )


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0005_request_terms")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
