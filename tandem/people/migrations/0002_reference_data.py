"""The shipped reference data: competencies, the four competency models, the two career
ladders and version 1 of the role-fit questionnaire (published). Idempotent: tests that empty
the database call `add_reference_data` again."""

from django.db import migrations
from django.utils import timezone

COMPETENCIES = [
    # code, English, German, description (English), description (German)
    (
        "relationships",
        "Relationships with decision makers",
        "Beziehungen zu Entscheidern",
        "Builds and keeps trusted relationships with decision makers at every level.",
        "Baut vertrauensvolle Beziehungen zu Entscheidern auf allen Ebenen auf und pflegt sie.",
    ),
    (
        "strategic_thinking",
        "Strategic thinking",
        "Strategisches Denken",
        "Understands the customer's business model and anticipates trends.",
        "Versteht das Geschäftsmodell des Kunden und erkennt Trends früh.",
    ),
    (
        "negotiation",
        "Negotiation at the highest level",
        "Verhandeln auf höchster Ebene",
        "Negotiates large, long-term agreements with senior management.",
        "Verhandelt große, langfristige Vereinbarungen mit der Geschäftsleitung.",
    ),
    (
        "communication",
        "Communication with C-level and operations",
        "Kommunikation mit C-Level und Fachebene",
        "Speaks the language of the board and of the operational teams alike.",
        "Spricht die Sprache des Vorstands ebenso wie die der operativen Teams.",
    ),
    (
        "problem_solving",
        "Problem solving under pressure",
        "Problemlösung unter Druck",
        "Finds workable solutions when much is at stake and time is short.",
        "Findet tragfähige Lösungen, wenn viel auf dem Spiel steht und die Zeit knapp ist.",
    ),
    (
        "product_knowledge",
        "Deep product understanding",
        "Tiefes Produktverständnis",
        "Knows the products well enough to shape solutions with the customer.",
        "Kennt die Produkte so gut, dass er oder sie mit dem Kunden Lösungen gestaltet.",
    ),
    (
        "leadership",
        "Leadership",
        "Führung",
        "Inspires and motivates a team and builds a performance culture.",
        "Begeistert und motiviert ein Team und schafft eine Leistungskultur.",
    ),
    (
        "analytical_thinking",
        "Analytical thinking",
        "Analytisches Denken",
        "Reads forecasts and pipelines and decides from the numbers.",
        "Liest Prognosen und Pipelines und entscheidet anhand der Zahlen.",
    ),
    (
        "sales_strategy",
        "Sales strategy",
        "Vertriebsstrategie",
        "Chooses target markets, channels, sales cycles and positioning.",
        "Wählt Zielmärkte, Vertriebskanäle, Verkaufszyklen und Positionierung.",
    ),
    (
        "coaching",
        "Coaching",
        "Coaching",
        "Develops people through feedback, joint visits and training.",
        "Entwickelt Menschen durch Feedback, gemeinsame Kundentermine und Training.",
    ),
    (
        "process_optimisation",
        "Process optimisation",
        "Prozessoptimierung",
        "Makes the sales process faster, simpler and measurable.",
        "Macht den Vertriebsprozess schneller, einfacher und messbar.",
    ),
    (
        "goal_orientation",
        "Goal and result orientation",
        "Ziel- und Ergebnisorientierung",
        "Sets clear goals and follows them through to results.",
        "Setzt klare Ziele und verfolgt sie konsequent bis zum Ergebnis.",
    ),
]

PROFILES = [
    # code, English, German, description (English), description (German), expected levels
    (
        "rep",
        "Sales rep",
        "Vertriebsmitarbeiter/in",
        "Wins and develops customers in their own territory.",
        "Gewinnt und entwickelt Kunden im eigenen Gebiet.",
        {
            "relationships": 3,
            "communication": 3,
            "negotiation": 2,
            "problem_solving": 2,
            "product_knowledge": 3,
            "goal_orientation": 3,
        },
    ),
    (
        "team_lead",
        "Team lead",
        "Teamleiter/in",
        "Leads a small team while still selling.",
        "Führt ein kleines Team und verkauft weiterhin selbst.",
        {
            "leadership": 3,
            "analytical_thinking": 3,
            "sales_strategy": 2,
            "coaching": 3,
            "process_optimisation": 2,
            "goal_orientation": 4,
        },
    ),
    (
        "kam",
        "Key Account Manager",
        "Key Account Manager/in",
        "Develops a few strategic customers over years.",
        "Entwickelt wenige strategische Kunden über Jahre.",
        {
            "relationships": 5,
            "strategic_thinking": 5,
            "negotiation": 5,
            "communication": 5,
            "problem_solving": 4,
            "product_knowledge": 5,
        },
    ),
    (
        "sales_manager",
        "Sales Manager",
        "Sales Manager/in",
        "Leads a sales team to its targets.",
        "Führt ein Vertriebsteam zu seinen Zielen.",
        {
            "leadership": 5,
            "analytical_thinking": 4,
            "sales_strategy": 5,
            "coaching": 5,
            "process_optimisation": 4,
            "goal_orientation": 5,
        },
    ),
]

LADDERS = [
    (
        "kam",
        "Towards Key Account Manager",
        "Auf dem Weg zum Key Account Manager",
        "Five to ten years in sales or account management; then Director of Key Accounts and "
        "VP Strategic Accounts.",
        "Fünf bis zehn Jahre in Vertrieb oder Account Management; danach Director Key Accounts "
        "und VP Strategic Accounts.",
        [
            # code, English, German, years from, to, leadership years, profile, offset, later
            ("rep", "Sales rep", "Vertriebsmitarbeiter/in", 0, 2, 0, "rep", 0, False),
            (
                "junior_account_manager",
                "Junior account manager",
                "Junior Account Manager/in",
                1,
                3,
                0,
                "kam",
                -2,
                False,
            ),
            (
                "account_manager",
                "Account manager",
                "Account Manager/in",
                3,
                5,
                0,
                "kam",
                -2,
                False,
            ),
            (
                "senior_account_manager",
                "Senior account manager",
                "Senior Account Manager/in",
                4,
                7,
                0,
                "kam",
                -1,
                False,
            ),
            (
                "key_account_manager",
                "Key Account Manager",
                "Key Account Manager/in",
                5,
                10,
                0,
                "kam",
                0,
                False,
            ),
            (
                "director_key_accounts",
                "Director of Key Accounts",
                "Director Key Accounts",
                10,
                None,
                2,
                "kam",
                0,
                True,
            ),
            (
                "vp_strategic_accounts",
                "VP Strategic Accounts",
                "VP Strategic Accounts",
                12,
                None,
                4,
                "kam",
                0,
                True,
            ),
        ],
    ),
    (
        "sales_manager",
        "Towards Sales Manager",
        "Auf dem Weg zum Sales Manager",
        "Seven to twelve years, two to three of them in leadership; then Director of Sales and "
        "VP of Sales.",
        "Sieben bis zwölf Jahre, davon zwei bis drei in Führung; danach Director of Sales und "
        "VP of Sales.",
        [
            ("rep", "Sales rep", "Vertriebsmitarbeiter/in", 0, 3, 0, "rep", 0, False),
            (
                "team_lead",
                "Team lead or junior sales manager",
                "Teamleiter/in oder Junior Sales Manager/in",
                3,
                7,
                0,
                "team_lead",
                0,
                False,
            ),
            ("sales_manager", "Sales Manager", "Sales Manager/in", 7, 12, 2, "sales_manager", 0, False),
            (
                "director_sales",
                "Director of Sales",
                "Director of Sales",
                12,
                None,
                5,
                "sales_manager",
                0,
                True,
            ),
            ("vp_sales", "VP of Sales", "VP of Sales", 15, None, 8, "sales_manager", 0, True),
        ],
    ),
]

# The role-fit questionnaire, version 1. Each answer: code, English, German, points for KAM,
# points for Sales Manager, reason (English), reason (German).
BOTH = (1, 1)
QUESTIONS = [
    (
        "work_style",
        "one",
        "How do you like to work?",
        "Wie arbeiten Sie am liebsten?",
        [
            (
                "alone_deep",
                "Mostly on my own, with a few deep relationships",
                "Überwiegend selbstständig, mit wenigen, tiefen Beziehungen",
                3,
                0,
                "You like to work on your own with a few deep relationships: a Key Account "
                "Manager looks after a handful of customers for years.",
                "Sie arbeiten gern selbstständig mit wenigen, tiefen Beziehungen: Ein Key Account "
                "Manager betreut wenige Kunden über Jahre.",
            ),
            (
                "team_many",
                "In a team, with many contacts",
                "Im Team, mit vielen Kontakten",
                0,
                3,
                "You like to work in a team with many contacts: a Sales Manager is at the centre "
                "of a team.",
                "Sie arbeiten gern im Team mit vielen Kontakten: Ein Sales Manager steht im "
                "Mittelpunkt eines Teams.",
            ),
            (
                "both",
                "Both suit me",
                "Beides liegt mir",
                *BOTH,
                "Both ways of working suit you: this answer points to neither role.",
                "Beide Arbeitsweisen liegen Ihnen: Diese Antwort spricht für keine der Rollen.",
            ),
        ],
    ),
    (
        "horizon",
        "one",
        "What attracts you more?",
        "Was reizt Sie mehr?",
        [
            (
                "long_term",
                "Developing customers over the long term",
                "Kunden langfristig entwickeln",
                3,
                0,
                "You want to develop customers over the long term: Key Account Managers think in "
                "years.",
                "Sie möchten Kunden langfristig entwickeln: Key Account Manager denken in Jahren.",
            ),
            (
                "new_business",
                "Winning new business fast",
                "Schnell neues Geschäft gewinnen",
                0,
                3,
                "You want to win new business fast: Sales Managers steer a team's new business "
                "quarter by quarter.",
                "Sie möchten schnell neues Geschäft gewinnen: Sales Manager steuern das "
                "Neugeschäft ihres Teams Quartal für Quartal.",
            ),
            (
                "both",
                "Both equally",
                "Beides gleichermaßen",
                *BOTH,
                "Long-term development and fast new business attract you equally: this answer "
                "points to neither role.",
                "Langfristige Entwicklung und schnelles Neugeschäft reizen Sie gleichermaßen: "
                "Diese Antwort spricht für keine der Rollen.",
            ),
        ],
    ),
    (
        "advisor_or_leader",
        "one",
        "Which part would you rather play?",
        "Welche Rolle möchten Sie lieber spielen?",
        [
            (
                "advisor",
                "Strategic advisor to customers",
                "Strategische Beraterin / strategischer Berater für Kunden",
                3,
                0,
                "You would rather be a strategic advisor to customers: that is the heart of key "
                "account management.",
                "Sie wären lieber strategische Beraterin oder Berater für Kunden: Das ist der "
                "Kern des Key Account Managements.",
            ),
            (
                "leader",
                "Team leader and coach",
                "Teamleitung und Coach",
                0,
                3,
                "You would rather lead and coach a team: that is the heart of a Sales Manager's "
                "job.",
                "Sie würden lieber ein Team führen und coachen: Das ist der Kern der Arbeit eines "
                "Sales Managers.",
            ),
            (
                "both",
                "Both equally",
                "Beides gleichermaßen",
                *BOTH,
                "Advising and leading appeal to you equally: this answer points to neither role.",
                "Beraten und Führen sprechen Sie gleichermaßen an: Diese Antwort spricht für keine "
                "der Rollen.",
            ),
        ],
    ),
    (
        "care_or_conquer",
        "one",
        "What gives you more energy?",
        "Was gibt Ihnen mehr Energie?",
        [
            (
                "care",
                "Caring for existing relationships",
                "Bestehende Beziehungen pflegen",
                3,
                0,
                "Caring for existing relationships gives you energy: Key Account Managers grow "
                "what is already there.",
                "Bestehende Beziehungen zu pflegen gibt Ihnen Energie: Key Account Manager bauen "
                "das Bestehende aus.",
            ),
            (
                "conquer",
                "Conquering new markets",
                "Neue Märkte erobern",
                0,
                3,
                "Conquering new markets gives you energy: Sales Managers lead their team into "
                "new markets.",
                "Neue Märkte zu erobern gibt Ihnen Energie: Sales Manager führen ihr Team in neue "
                "Märkte.",
            ),
            (
                "both",
                "Both equally",
                "Beides gleichermaßen",
                *BOTH,
                "Caring and conquering give you energy alike: this answer points to neither role.",
                "Pflegen und Erobern geben Ihnen gleichermaßen Energie: Diese Antwort spricht für "
                "keine der Rollen.",
            ),
        ],
    ),
    (
        "responsibility",
        "one",
        "What do you want to be responsible for?",
        "Wofür möchten Sie Verantwortung tragen?",
        [
            (
                "own",
                "My own performance",
                "Für meine eigene Leistung",
                3,
                0,
                "You want to answer for your own performance: a Key Account Manager owns their "
                "accounts' results.",
                "Sie möchten für Ihre eigene Leistung einstehen: Ein Key Account Manager "
                "verantwortet die Ergebnisse seiner Kunden.",
            ),
            (
                "team",
                "A whole team's performance",
                "Für die Leistung eines ganzen Teams",
                0,
                3,
                "You want to answer for a whole team's performance: that is what a Sales Manager "
                "is measured by.",
                "Sie möchten für die Leistung eines ganzen Teams einstehen: Daran wird ein Sales "
                "Manager gemessen.",
            ),
            (
                "both",
                "Either is fine",
                "Beides ist mir recht",
                *BOTH,
                "Either kind of responsibility suits you: this answer points to neither role.",
                "Beide Arten von Verantwortung liegen Ihnen: Diese Antwort spricht für keine der "
                "Rollen.",
            ),
        ],
    ),
    (
        "patience",
        "one",
        "How do you feel about long developments?",
        "Wie stehen Sie zu langen Entwicklungen?",
        [
            (
                "patient",
                "I have patience for developments that take years",
                "Ich habe Geduld für Entwicklungen, die Jahre dauern",
                3,
                0,
                "You have patience for developments that take years: key account deals often do.",
                "Sie haben Geduld für Entwicklungen, die Jahre dauern: Key-Account-Geschäfte "
                "brauchen oft so lange.",
            ),
            (
                "quick_wins",
                "I need quick wins",
                "Ich brauche schnelle Erfolge",
                0,
                3,
                "You need quick wins: a Sales Manager sees results every month and quarter.",
                "Sie brauchen schnelle Erfolge: Ein Sales Manager sieht jeden Monat und jedes "
                "Quartal Ergebnisse.",
            ),
            (
                "both",
                "Somewhere in between",
                "Irgendwo dazwischen",
                *BOTH,
                "You are somewhere between patience and quick wins: this answer points to "
                "neither role.",
                "Sie liegen zwischen Geduld und schnellen Erfolgen: Diese Antwort spricht für "
                "keine der Rollen.",
            ),
        ],
    ),
    (
        "strengths",
        "several",
        "Which of these are your strengths?",
        "Welche davon sind Ihre Stärken?",
        [
            (
                "trusted_advisor",
                "Being a trusted advisor",
                "Vertrauensvolle Beraterin / vertrauensvoller Berater sein",
                2,
                0,
                "Being a trusted advisor is one of your strengths: customers of a Key Account "
                "Manager rely on exactly that.",
                "Vertrauensvoll zu beraten ist eine Ihrer Stärken: Genau darauf verlassen sich "
                "die Kunden eines Key Account Managers.",
            ),
            (
                "strategic_thinking",
                "Strategic thinking",
                "Strategisches Denken",
                2,
                0,
                "Strategic thinking is one of your strengths: a Key Account Manager plans a "
                "customer's development years ahead.",
                "Strategisches Denken ist eine Ihrer Stärken: Ein Key Account Manager plant die "
                "Entwicklung eines Kunden Jahre voraus.",
            ),
            (
                "coaching",
                "Coaching others",
                "Andere coachen",
                0,
                2,
                "Coaching others is one of your strengths: a Sales Manager develops their team.",
                "Andere zu coachen ist eine Ihrer Stärken: Ein Sales Manager entwickelt sein "
                "Team.",
            ),
            (
                "team_results",
                "Owning team results",
                "Verantwortung für Teamergebnisse",
                0,
                2,
                "Owning team results is one of your strengths: a Sales Manager answers for the "
                "team's target.",
                "Verantwortung für Teamergebnisse ist eine Ihrer Stärken: Ein Sales Manager steht "
                "für das Ziel des Teams ein.",
            ),
        ],
    ),
    (
        "career_goal",
        "one",
        "Where would you like to be in ten years?",
        "Wo möchten Sie in zehn Jahren stehen?",
        [
            (
                "key_accounts",
                "Director of Key Accounts or VP Strategic Accounts",
                "Director Key Accounts oder VP Strategic Accounts",
                3,
                0,
                "Your goal is Director of Key Accounts or VP Strategic Accounts: the path leads "
                "through key account management.",
                "Ihr Ziel ist Director Key Accounts oder VP Strategic Accounts: Der Weg führt über "
                "das Key Account Management.",
            ),
            (
                "sales_leadership",
                "Director or VP of Sales",
                "Director oder VP of Sales",
                0,
                3,
                "Your goal is Director or VP of Sales: the path leads through sales management.",
                "Ihr Ziel ist Director oder VP of Sales: Der Weg führt über das Sales Management.",
            ),
            (
                "open",
                "I don't know yet",
                "Das weiß ich noch nicht",
                0,
                0,
                "You have not settled on a goal yet: this answer points to neither role.",
                "Sie haben sich noch nicht auf ein Ziel festgelegt: Diese Antwort spricht für "
                "keine der Rollen.",
            ),
        ],
    ),
]


def add_reference_data(apps, schema_editor):
    Competency = apps.get_model("people", "Competency")
    RoleProfile = apps.get_model("people", "RoleProfile")
    ExpectedLevel = apps.get_model("people", "ExpectedLevel")
    CareerLadder = apps.get_model("people", "CareerLadder")
    CareerStep = apps.get_model("people", "CareerStep")
    Questionnaire = apps.get_model("people", "Questionnaire")
    Question = apps.get_model("people", "Question")
    AnswerOption = apps.get_model("people", "AnswerOption")

    competencies = {}
    for position, (code, name, name_de, text, text_de) in enumerate(COMPETENCIES, 1):
        competencies[code], _ = Competency.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_de": name_de,
                "description": text,
                "description_de": text_de,
                "position": position,
            },
        )
    profiles = {}
    for position, (code, name, name_de, text, text_de, levels) in enumerate(PROFILES, 1):
        profile, created = RoleProfile.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_de": name_de,
                "description": text,
                "description_de": text_de,
                "position": position,
            },
        )
        profiles[code] = profile
        if created:
            for competency, level in levels.items():
                ExpectedLevel.objects.create(
                    profile=profile, competency=competencies[competency], level=level
                )
    for position, (code, name, name_de, text, text_de, steps) in enumerate(LADDERS, 1):
        ladder, created = CareerLadder.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_de": name_de,
                "description": text,
                "description_de": text_de,
                "position": position,
            },
        )
        if not created:
            continue
        for step_position, step in enumerate(steps, 1):
            step_code, step_name, step_name_de, y_from, y_to, lead, profile, offset, later = step
            CareerStep.objects.create(
                ladder=ladder,
                code=step_code,
                name=step_name,
                name_de=step_name_de,
                position=step_position,
                years_from=y_from,
                years_to=y_to,
                leadership_years=lead,
                profile=profiles[profile],
                level_offset=offset,
                is_later_step=later,
            )
    questionnaire, created = Questionnaire.objects.get_or_create(
        version=1,
        defaults={
            "published_at": timezone.now(),
            "clearly_from": "0.50",
            "rather_from": "0.20",
            "note": "Shipped with Tandem.",
        },
    )
    if not created:
        return
    for position, (code, kind, text, text_de, options) in enumerate(QUESTIONS, 1):
        question = Question.objects.create(
            questionnaire=questionnaire,
            code=code,
            position=position,
            kind=kind,
            text=text,
            text_de=text_de,
        )
        for option_position, option in enumerate(options, 1):
            option_code, option_text, option_text_de, kam, manager, reason, reason_de = option
            AnswerOption.objects.create(
                question=question,
                code=option_code,
                position=option_position,
                text=option_text,
                text_de=option_text_de,
                kam_points=kam,
                sales_manager_points=manager,
                reason=reason,
                reason_de=reason_de,
            )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_competencies_questionnaire_ladders")]
    operations = [migrations.RunPython(add_reference_data, migrations.RunPython.noop)]
