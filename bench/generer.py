"""Le jeu de données d'un programme national, écrit par COPY (psycopg 3) dans une base vide.

Un programme, 50 appels, 10 000 structures (un compte chacune) :
- l'appel « national » reçoit une candidature de chaque structure (liste filtrée, exports) ;
- l'appel « classement » : 1 000 candidatures recevables, un jury de 200 membres, 5 membres par
  candidature, une grille de 10 critères, donc 50 000 notes validées ;
- l'appel « cohorte » : 1 000 lauréates, 1 000 plans de 100 jalons (100 000), suivis par 20
  coachs de 50 plans ; 100 bénéficiaires et 50 actions par structure, 500 000 participations ;
- 47 autres appels de quelques candidatures ;
- chaque candidature déposée a sa version déposée n° 1.
Les identifiants sont posés ici (les tables sont vides) puis les séquences recalées. Chaque
table est écrite par son modèle : les colonnes que le banc ne pose pas prennent le défaut du
modèle (`_complements`), une colonne obligatoire sans défaut arrête la génération en la nommant.
"""

import enum
import json
import random
import time
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import NOT_PROVIDED, JSONField
from django.db.models.fields import AutoFieldMixin

from accompagnement.models import Jalon, PlanAccompagnement
from activite.models import Action, Beneficiaire, ListeAttente, Participation
from candidatures.models import Candidature, VersionDeposee
from comptes.models import Utilisateur
from evaluation.models import Affectation, Critere, Evaluation, Grille, Jury, MembreJury, Note
from programmes.models import Appel, Programme, Question
from structures.models import MembreStructure, Structure
from territoires.normalisation import forme_de_recherche

MOT_DE_PASSE_INUTILISABLE = "!banc-d-essai"
CRITERES = 10
MEMBRES_PAR_CANDIDATURE = 5


class Echelle:
    def __init__(self, facteur=1.0):
        def n(valeur, minimum=1):
            return max(minimum, int(round(valeur * facteur)))

        self.facteur = facteur
        self.structures = n(10_000, 60)
        self.classement = n(1_000, 10)
        self.cohorte = n(1_000, 10)
        self.membres_jury = n(200, MEMBRES_PAR_CANDIDATURE)
        self.jalons_par_plan = 100
        self.plans_par_coach = 50
        self.beneficiaires_par_structure = 100
        self.actions_par_structure = 50
        self.participants_par_action = 10
        self.appels = 50


def _valeur_en_base(champ, valeur):
    """La valeur d'un champ telle que COPY l'écrit : celle de la base de Django, un choix par
    sa valeur, un JSON en texte."""
    if valeur is None:
        return None
    if isinstance(champ, JSONField):
        return json.dumps(valeur)
    if isinstance(valeur, enum.Enum):
        valeur = valeur.value
    return champ.get_db_prep_save(valeur, connection)


def _complements(modele, colonnes, maintenant):
    """Les colonnes du modèle que le banc n'écrit pas, avec la valeur que Django leur donnerait
    à la création : défaut du champ, sinon NULL ou chaîne vide ; `auto_now`, l'instant de la
    génération. Une colonne ajoutée au modèle avec un défaut ne casse donc pas le banc ; une
    colonne obligatoire sans défaut doit être écrite ici, ce que l'erreur dit.

    Renvoie ({colonne: valeur commune à toutes les lignes}, {colonne: fonction tirée à chaque
    ligne}) : le second pour un champ unique à défaut appelable (un jeton, par exemple)."""
    ecrites = set(colonnes)
    constantes, par_ligne = {}, {}
    for champ in modele._meta.local_concrete_fields:
        if champ.column in ecrites:
            continue
        if champ.primary_key and isinstance(champ, AutoFieldMixin):
            continue  # la séquence le donne
        if champ.db_default is not NOT_PROVIDED:
            continue  # la base le donne
        if getattr(champ, "auto_now", False) or getattr(champ, "auto_now_add", False):
            constantes[champ.column] = maintenant
            continue
        if champ.unique and champ.has_default() and callable(champ.default):
            par_ligne[champ.column] = lambda champ=champ: _valeur_en_base(
                champ, champ.get_default()
            )
            continue
        valeur = _valeur_en_base(champ, champ.get_default())
        if (valeur is None and not champ.null) or (champ.unique and valeur is not None):
            raise RuntimeError(
                f"Banc d'essai : {modele._meta.label}.{champ.name} n'a pas de valeur par défaut "
                f"utilisable pour toutes les lignes ; bench/generer.py doit l'écrire."
            )
        constantes[champ.column] = valeur
    return constantes, par_ligne


def _copier(curseur, modele, colonnes, lignes, maintenant):
    """COPY des lignes dans la table du modèle ; les colonnes non données sont complétées par
    `_complements`. Renvoie le nombre de lignes écrites."""
    constantes, par_ligne = _complements(modele, colonnes, maintenant)
    toutes = [*colonnes, *constantes, *par_ligne]
    fin = tuple(constantes.values())
    fonctions = list(par_ligne.values())
    nombre = 0
    table = modele._meta.db_table
    with curseur.copy(f"COPY {table} ({', '.join(toutes)}) FROM STDIN") as copie:
        for ligne in lignes:
            if fonctions:
                copie.write_row((*ligne, *fin, *(fonction() for fonction in fonctions)))
            elif fin:
                copie.write_row((*ligne, *fin))
            else:
                copie.write_row(ligne)
            nombre += 1
    return nombre


def _recaler_sequences(curseur, tables):
    for table in tables:
        curseur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )


def generer(echelle, graine=10):
    """Écrit le jeu de données ; renvoie {table: lignes écrites} et la durée."""
    aleatoire = random.Random(graine)
    maintenant = datetime.now(UTC)
    aujourd_hui = date.today()
    debut = time.perf_counter()
    comptes = {}
    curseur_django = connection.cursor()
    curseur = curseur_django.cursor  # le curseur psycopg 3, pour COPY

    curseur.execute("SELECT id, name FROM auth_group")
    groupes = {nom: pk for pk, nom in curseur.fetchall()}
    curseur.execute("SELECT id, nom, code_insee FROM territoires_commune ORDER BY id")
    communes = curseur.fetchall()
    if not communes:
        raise RuntimeError("Aucune commune : lancer import_territoires d'abord.")

    def ecrire(modele, colonnes, lignes):
        table = modele._meta.db_table
        comptes[table] = comptes.get(table, 0) + _copier(
            curseur, modele, colonnes, lignes, maintenant
        )

    # --- Comptes ----------------------------------------------------------------------------
    e = echelle
    nb_coachs = max(1, e.cohorte // e.plans_par_coach)
    id_gestionnaire = 1
    ids_candidats = range(2, 2 + e.structures)  # le compte n de la structure n - 1
    premier_membre_jury = 2 + e.structures
    ids_membres_jury = range(premier_membre_jury, premier_membre_jury + e.membres_jury)
    premier_coach = premier_membre_jury + e.membres_jury
    ids_coachs = range(premier_coach, premier_coach + nb_coachs)
    id_observateur = premier_coach + nb_coachs
    roles = (
        [(id_gestionnaire, "gestionnaire")]
        + [(pk, "candidat") for pk in ids_candidats]
        + [(pk, "membre_jury") for pk in ids_membres_jury]
        + [(pk, "coach") for pk in ids_coachs]
        + [(id_observateur, "observateur")]
    )
    ecrire(
        Utilisateur,
        [
            "id",
            "password",
            "is_superuser",
            "first_name",
            "last_name",
            "is_staff",
            "is_active",
            "date_joined",
            "email",
            # La copie des rôles (comptes.roles), que le COPY ne déclenche pas : écrite ici.
            "noms_des_groupes",
        ],
        (
            (
                pk,
                MOT_DE_PASSE_INUTILISABLE,
                False,
                role,
                str(pk),
                False,
                True,
                maintenant,
                f"{role}-{pk}@banc.invalid",
                json.dumps([role]),
            )
            for pk, role in roles
        ),
    )
    ecrire(
        Utilisateur.groups.through,
        ["utilisateur_id", "group_id"],
        ((pk, groupes[role]) for pk, role in roles),
    )
    curseur.execute(
        'INSERT INTO account_emailaddress (user_id, email, verified, "primary") '
        "SELECT id, email, true, true FROM comptes_utilisateur"
    )

    # --- Programme et appels ----------------------------------------------------------------
    ecrire(
        Programme,
        ["id", "nom", "slug", "partenaires", "cree_le"],
        [(1, "Programme national du banc d'essai", "banc-national", "État\nRégions", maintenant)],
    )
    ecrire(
        Programme.gestionnaires.through,
        ["programme_id", "utilisateur_id"],
        [(1, id_gestionnaire)],
    )
    appels = [
        (1, "national", "clos"),
        (2, "classement", "en_deliberation"),
        (3, "cohorte", "decide"),
    ]
    appels += [(n, f"appel-{n}", "ouvert" if n % 2 else "clos") for n in range(4, e.appels + 1)]
    vide = json.dumps([])
    ecrire(
        Appel,
        [
            "id",
            "perimetre_epci",
            "perimetre_departements",
            "seuil_population",
            "type_population",
            "version_qpv",
            "qpv_intercommunal",
            "types_structure",
            "titre",
            "slug",
            "description",
            "ouverture",
            "date_limite",
            "etat",
            "regles_verifiees_le",
            "publie_le",
            "cree_le",
            "modifie_le",
            "programme_id",
        ],
        (
            (
                pk,
                vide,
                vide,
                21000,
                "municipale",
                "",
                "a_examiner",
                vide,
                f"Appel {slug}",
                f"banc-{slug}",
                "Un appel du banc d'essai.",
                maintenant - timedelta(days=120),
                maintenant + timedelta(days=30 if etat == "ouvert" else -30),
                etat,
                maintenant,
                maintenant,
                maintenant,
                maintenant,
                1,
            )
            for pk, slug, etat in appels
        ),
    )
    # Cinq questions par appel : ce qui fait les colonnes des exports.
    types_questions = ["texte_court", "texte_long", "choix_unique", "nombre", "oui_non"]
    questions = []
    for appel_pk, _slug, _etat in appels:
        for ordre, type_question in enumerate(types_questions):
            choix = ["Oui", "Non", "Peut-être"] if type_question == "choix_unique" else []
            questions.append(
                (
                    len(questions) + 1,
                    ordre,
                    type_question,
                    f"Question {ordre + 1}",
                    "",
                    True,
                    json.dumps(choix),
                    appel_pk,
                )
            )
    ecrire(
        Question,
        ["id", "ordre", "type", "libelle", "aide", "obligatoire", "choix", "appel_id"],
        questions,
    )
    questions_par_appel = {}
    questions_figees = {}  # ce que la version déposée garde du formulaire de l'appel
    for question in questions:
        questions_par_appel.setdefault(question[7], []).append((question[0], question[2]))
        questions_figees.setdefault(question[7], []).append(
            {
                "id": question[0],
                "libelle": question[3],
                "type": question[2],
                "choix": json.loads(question[6]),
                "condition": None,
                "condition_valeur": "",
            }
        )
    questions_figees = {appel: json.dumps(liste) for appel, liste in questions_figees.items()}

    # --- Structures -------------------------------------------------------------------------
    types_structure = ["ccas", "cias", "esat", "association", "centre_social", "mediatheque"]

    structures_figees = {}  # ce que la version déposée garde de la structure (JSON)

    def structures():
        for n in range(1, e.structures + 1):
            commune = communes[aleatoire.randrange(len(communes))]
            nom = f"{types_structure[n % 6].upper()} {commune[1]} {n}"
            structures_figees[n] = {
                "nom": nom,
                "type": types_structure[n % 6],
                "siret": f"{n:014d}",
                "commune": commune[1],
                "code_insee": commune[2],
                "adresse": f"{n} rue de la Mairie",
                "code_postal": commune[2][:5],
                "contact_nom": "Camille Martin",
                "contact_fonction": "Directrice",
                "contact_email": f"contact-{n}@banc.invalid",
                "contact_telephone": "0320000000",
            }
            yield (
                n,
                nom,
                types_structure[n % 6],
                f"{n:014d}",
                f"{n} rue de la Mairie",
                commune[2][:5],
                "Camille Martin",
                "Directrice",
                f"contact-{n}@banc.invalid",
                "0320000000",
                forme_de_recherche(nom),
                maintenant,
                maintenant,
                commune[0],
            )

    ecrire(
        Structure,
        [
            "id",
            "nom",
            "type",
            "siret",
            "adresse",
            "code_postal",
            "contact_nom",
            "contact_fonction",
            "contact_email",
            "contact_telephone",
            "nom_recherche",
            "creee_le",
            "modifiee_le",
            "commune_id",
        ],
        structures(),
    )
    ecrire(
        MembreStructure,
        ["est_responsable", "ajoute_le", "utilisateur_id", "structure_id"],
        ((True, maintenant, n + 1, n) for n in range(1, e.structures + 1)),
    )

    # --- Candidatures -----------------------------------------------------------------------
    etats_national = ["deposee", "recevable", "irrecevable", "a_completer", "brouillon", "retiree"]
    eligibilites = ["eligible", "non_eligible", "a_examiner"]

    def reponses(appel_pk, n):
        valeurs = {
            "texte_court": f"Réponse courte {n}",
            "texte_long": "Un texte plus long qui décrit le projet de la structure. " * 4,
            "choix_unique": "Oui",
            "nombre": n % 97,
            "oui_non": bool(n % 2),
        }
        return json.dumps({str(pk): valeurs[t] for pk, t in questions_par_appel[appel_pk]})

    candidatures = []  # (id, appel, structure, etat)
    for n in range(1, e.structures + 1):
        candidatures.append((len(candidatures) + 1, 1, n, etats_national[n % 6]))
    debut_classement = len(candidatures) + 1
    for n in range(1, e.classement + 1):
        candidatures.append((len(candidatures) + 1, 2, n, "recevable"))
    debut_cohorte = len(candidatures) + 1
    for n in range(1, e.cohorte + 1):
        candidatures.append((len(candidatures) + 1, 3, n, "retenue"))
    for appel_pk in range(4, e.appels + 1):
        for n in aleatoire.sample(range(1, e.structures + 1), 20):
            candidatures.append((len(candidatures) + 1, appel_pk, n, "deposee"))

    def lignes_candidatures():
        for pk, appel_pk, structure_pk, etat in candidatures:
            depot = maintenant - timedelta(days=60, minutes=pk)
            resultat = eligibilites[pk % 3]
            yield (
                pk,
                etat,
                reponses(appel_pk, pk),
                depot,
                maintenant,
                depot,
                None if etat == "brouillon" else depot,
                None if etat == "brouillon" else depot,
                json.dumps({"result": resultat}),
                resultat,
                "",
                "",
                "",
                "",
                appel_pk,
                structure_pk + 1,
                structure_pk,
            )

    ecrire(
        Candidature,
        [
            "id",
            "etat",
            "reponses",
            "creee_le",
            "modifiee_le",
            "brouillon_enregistre_le",
            "premier_depot_le",
            "deposee_le",
            "eligibilite",
            "resultat_eligibilite",
            "motif_forcage_eligibilite",
            "demande_complement",
            "motif_irrecevabilite",
            "motif_retrait",
            "appel_id",
            "creee_par_id",
            "structure_id",
        ],
        lignes_candidatures(),
    )

    # Chaque candidature déposée a sa version n° 1, figée au dépôt comme le fait le dépôt
    # (candidatures.services.versions.figer_version) : pas de pièce demandée dans le banc.
    def versions():
        for pk, appel_pk, structure_pk, etat in candidatures:
            if etat == "brouillon":
                continue
            yield (
                pk,
                1,
                maintenant - timedelta(days=60, minutes=pk),
                structure_pk + 1,
                questions_figees[appel_pk],
                vide,
                reponses(appel_pk, pk),
                json.dumps({"result": eligibilites[pk % 3]}),
                json.dumps(structures_figees[structure_pk]),
                False,
            )

    ecrire(
        VersionDeposee,
        [
            "candidature_id",
            "numero",
            "deposee_le",
            "deposee_par_id",
            "questions",
            "pieces_demandees",
            "reponses",
            "eligibilite",
            "structure",
            "reconstituee",
        ],
        versions(),
    )

    # --- Jury de l'appel « classement » -----------------------------------------------------
    ecrire(Grille, ["id", "modifiee_le", "appel_id"], [(1, maintenant, 2)])
    ecrire(
        Critere,
        ["id", "ordre", "libelle", "aide", "poids", "maximum", "grille_id"],
        ((c, c, f"Critère {c}", "", 1 + c % 3, 5, 1) for c in range(1, CRITERES + 1)),
    )
    ecrire(
        Jury,
        [
            "id",
            "mode_affectation",
            "membres_par_candidature",
            "notes_cachees_jusqu_a_deliberation",
            "seuil_desaccord",
            "notes_dans_la_lettre",
            "cree_le",
            "appel_id",
        ],
        [(1, "automatique", MEMBRES_PAR_CANDIDATURE, False, 5, False, maintenant, 2)],
    )
    ecrire(
        MembreJury,
        ["id", "email", "ajoute_le", "jury_id", "utilisateur_id"],
        (
            (m, f"membre_jury-{pk}@banc.invalid", maintenant, 1, pk)
            for m, pk in enumerate(ids_membres_jury, 1)
        ),
    )
    affectations = []
    for rang in range(e.classement):
        for k in range(MEMBRES_PAR_CANDIDATURE):
            membre = (rang * MEMBRES_PAR_CANDIDATURE + k) % e.membres_jury + 1
            affectations.append((len(affectations) + 1, debut_classement + rang, membre))
    ecrire(
        Affectation,
        ["id", "origine", "creee_le", "candidature_id", "membre_id"],
        ((pk, "automatique", maintenant, c, m) for pk, c, m in affectations),
    )
    valeurs_notes = {}
    for pk, _c, _m in affectations:
        valeurs_notes[pk] = [aleatoire.randint(0, 5) for _ in range(CRITERES)]
    ecrire(
        Evaluation,
        [
            "id",
            "etat",
            "commentaire",
            "total_sur_20",
            "validee_le",
            "modifiee_le",
            "affectation_id",
        ],
        (
            (
                pk,
                "validee",
                "",
                round(sum(valeurs_notes[pk]) * 20 / (5 * CRITERES), 2),
                maintenant,
                maintenant,
                pk,
            )
            for pk, _c, _m in affectations
        ),
    )
    ecrire(
        Note,
        ["valeur", "commentaire", "critere_id", "evaluation_id"],
        (
            (valeur, "", critere, pk)
            for pk, _c, _m in affectations
            for critere, valeur in enumerate(valeurs_notes[pk], 1)
        ),
    )

    # --- Accompagnement de l'appel « cohorte » ----------------------------------------------
    ecrire(
        PlanAccompagnement,
        [
            "id",
            "date_debut",
            "etat",
            "motif_abandon",
            "cree_le",
            "candidature_id",
            "coach_id",
            "cree_par_id",
            "programme_id",
            "structure_id",
        ],
        (
            (
                n,
                aujourd_hui - timedelta(days=240),
                "actif",
                "",
                maintenant,
                debut_cohorte + n - 1,
                ids_coachs[(n - 1) // e.plans_par_coach % nb_coachs],
                id_gestionnaire,
                1,
                n,
            )
            for n in range(1, e.cohorte + 1)
        ),
    )
    types_jalon = [
        "lancement",
        "diagnostic",
        "plan_accompagnement",
        "formation_1",
        "formation_2",
        "kits",
        "ecosysteme",
        "ateliers",
        "bilan_mi_parcours",
        "autre",
    ]

    def jalons():
        for plan in range(1, e.cohorte + 1):
            for ordre in range(e.jalons_par_plan):
                # Échéances étalées sur 16 mois autour d'aujourd'hui, une tous les 5 jours ;
                # le passé est presque entièrement fait, comme dans un plan suivi.
                echeance = aujourd_hui + timedelta(days=-250 + 5 * ordre + plan % 5)
                passe = echeance < aujourd_hui
                etat = ("fait" if aleatoire.random() < 0.9 else "en_cours") if passe else "prevu"
                yield (
                    ordre,
                    types_jalon[ordre % 10],
                    f"Étape {ordre + 1}",
                    "",
                    echeance - timedelta(days=10),
                    echeance,
                    etat,
                    maintenant if etat == "fait" else None,
                    "",
                    "",
                    plan,
                )

    ecrire(
        Jalon,
        [
            "ordre",
            "type",
            "libelle",
            "description",
            "debut",
            "echeance",
            "etat",
            "fait_le",
            "motif_annulation",
            "note",
            "plan_id",
        ],
        jalons(),
    )

    # --- Activité de la cohorte -------------------------------------------------------------
    genres = ["F", "F", "F", "H", "H", "X", "NR"]
    types_action = ["atelier", "permanence", "parcours_ordinateur", "parcours_tablette"]
    statuts = ["present", "en_cours", "complet", "complet", "abandon"]
    nb_benef = e.beneficiaires_par_structure
    nb_actions = e.actions_par_structure

    def beneficiaires():
        for s in range(1, e.cohorte + 1):
            for b in range(nb_benef):
                yield (
                    (s - 1) * nb_benef + b + 1,
                    f"B{b:04d}",
                    genres[b % 7],
                    1940 + (b * 7 + s) % 60,
                    maintenant,
                    None,
                    s,
                )

    ecrire(
        Beneficiaire,
        ["id", "code", "genre", "annee_naissance", "cree_le", "commune_id", "structure_id"],
        beneficiaires(),
    )

    def actions():
        for s in range(1, e.cohorte + 1):
            for a in range(nb_actions):
                type_action = types_action[a % 4]
                parcours = type_action.startswith("parcours")
                debut_action = aujourd_hui - timedelta(days=200 - 3 * a)
                yield (
                    (s - 1) * nb_actions + a + 1,
                    type_action,
                    f"A{a:04d}",
                    debut_action,
                    debut_action + timedelta(days=40) if parcours else None,
                    12 if parcours else 2,
                    maintenant,
                    None,
                    s,
                )

    ecrire(
        Action,
        [
            "id",
            "type",
            "ref",
            "date_debut",
            "date_fin",
            "duree_heures",
            "creee_le",
            "creee_par_id",
            "structure_id",
        ],
        actions(),
    )

    def participations():
        for s in range(1, e.cohorte + 1):
            for a in range(nb_actions):
                action = (s - 1) * nb_actions + a + 1
                for k in range(e.participants_par_action):
                    b = (a * e.participants_par_action + k) % nb_benef
                    yield (statuts[(a + k) % 5], action, (s - 1) * nb_benef + b + 1)

    ecrire(Participation, ["statut", "action_id", "beneficiaire_id"], participations())
    ecrire(
        ListeAttente,
        ["date", "nombre", "structure_id"],
        ((aujourd_hui - timedelta(days=30), s % 80, s) for s in range(1, e.cohorte + 1)),
    )

    # Hors DEBUG, un gestionnaire sans TOTP est renvoyé vers son activation : le compte du banc
    # en a une, comme en production.
    curseur.execute(
        "INSERT INTO mfa_authenticator (user_id, type, data, created_at) "
        "VALUES (%s, 'totp', %s, now())",
        [id_gestionnaire, json.dumps({"secret": "JBSWY3DPEHPK3PXP"})],
    )
    _recaler_sequences(curseur, list(comptes) + ["account_emailaddress"])
    curseur.execute("ANALYZE")
    return comptes, time.perf_counter() - debut
