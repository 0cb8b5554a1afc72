"""Données de démonstration des appels : l'appel 2022 du premier cas, passé, avec ses 22
candidatures, et un appel ouvert auquel un visiteur peut candidater.

Appelé par `seed_demo`. Idempotent : chaque objet a une clé stable (slug, SIRET, couple
appel-structure) et son historique est réécrit à l'identique ; deux passages donnent les mêmes
données.

Ce qui vient des sources : le périmètre (EPCI 200093201, communes de moins de 21 000 habitants
sans QPV), les cinq lauréates (les CCAS de Houplines, Leers, Haubourdin et Faches-Thumesnil,
l'ESAT « Les Ateliers de la Lys »), 22 candidatures, un accompagnement à partir d'octobre 2022.
Ce qui est illustratif : les dates exactes de l'appel, les SIRET (fictifs mais bien formés), les
réponses, la commune de l'ESAT (les sources ne la donnent pas), et toutes les structures dont le
nom porte « (fictif) » ou « (fictive) ».
"""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError
from django.utils import timezone
from django_fsm_log.models import StateLog

from candidatures.enums import EtatAppel, EtatCandidature, TypeQuestion
from candidatures.models import (
    Appel,
    Candidature,
    MembreStructure,
    PieceDemandee,
    PieceJointe,
    Programme,
    Question,
    Structure,
)
from candidatures.validators import cle_de_luhn_valide
from journal.enums import TypeEvenement
from journal.models import Evenement
from territoires.eligibilite import ReglesEligibilite, evaluer_eligibilite
from territoires.models import Commune

PARIS = ZoneInfo("Europe/Paris")
E = EtatCandidature

GESTIONNAIRE_DEMO = "gestionnaire@demo.relais.test"
CANDIDAT_DEMO = "candidat@demo.relais.test"
LAUREATE_DEMO = "laureate@demo.relais.test"


def _a(annee, mois, jour, heure=10, minute=0):
    return datetime.datetime(annee, mois, jour, heure, minute, tzinfo=PARIS)


def _siret(numero):
    """Un SIRET fictif bien formé (préfixe 999, jamais attribué), stable d'un passage à l'autre."""
    debut = f"999{numero:010d}"
    return next(debut + cle for cle in "0123456789" if cle_de_luhn_valide(debut + cle))


PROGRAMME = {
    "slug": "inclusion-numerique-mel",
    "nom": "Inclusion numérique dans les petites communes de la Métropole européenne de Lille",
    "partenaires": "Métropole européenne de Lille\n"
    "Association d'inclusion numérique partenaire (nom illustratif)",
}

QUESTIONS = [
    (
        TypeQuestion.TEXTE_LONG,
        "Présentez votre structure et le public que vous accueillez.",
        "Quelques lignes suffisent : missions, équipe, personnes accueillies.",
        True,
        1500,
        [],
    ),
    (
        TypeQuestion.TEXTE_LONG,
        "Pourquoi voulez-vous proposer des ateliers numériques ?",
        "Les difficultés que vous observez, ce que vous aimeriez changer.",
        True,
        1500,
        [],
    ),
    (
        TypeQuestion.NOMBRE,
        "Combien de personnes accompagnez-vous chaque année ?",
        "",
        True,
        None,
        [],
    ),
    (
        TypeQuestion.CHOIX_MULTIPLE,
        "Quels publics voulez-vous toucher en priorité ?",
        "",
        True,
        None,
        [
            "Personnes âgées",
            "Personnes en recherche d'emploi",
            "Familles",
            "Personnes en situation de handicap",
            "Jeunes",
        ],
    ),
    (
        TypeQuestion.OUI_NON,
        "Disposez-vous d'une salle équipée (ordinateurs, connexion) ?",
        "Sinon, le programme peut prêter du matériel.",
        True,
        None,
        [],
    ),
    (
        TypeQuestion.NOMBRE,
        "Combien de personnes de votre équipe suivraient les formations ?",
        "Les deux journées de formation ont lieu en présentiel.",
        True,
        None,
        [],
    ),
    (TypeQuestion.DATE, "À partir de quand pourriez-vous commencer ?", "", False, None, []),
]

PIECES = [
    (
        "Délibération ou décision autorisant la candidature",
        "Du conseil d'administration, du bureau ou de l'instance qui engage la structure.",
        True,
    ),
    ("Budget prévisionnel des ateliers", "Facultatif à ce stade.", False),
]

DESCRIPTION_2022 = """Un appel à manifestation d'intérêt pour les **structures sociales des
petites communes** de la métropole (CCAS, CIAS, ESAT, centres sociaux, associations) qui
veulent proposer des ateliers numériques à leur public.

## Ce que le programme apporte

- un accompagnement de seize mois par un coach ;
- deux journées de formation pour vos équipes ;
- des kits d'ateliers prêts à l'emploi ;
- la rencontre des acteurs de l'inclusion numérique du territoire.

*Démonstration : les dates de cet appel sont illustratives.*
"""

DESCRIPTION_2027 = DESCRIPTION_2022.replace(
    "*Démonstration : les dates de cet appel sont illustratives.*",
    "*Démonstration : appel fictif, ouvert pour essayer le dépôt d'une candidature.*",
)

# (clé SIRET, nom, type, code INSEE, état, jour du dépôt en 2022, membre démo ?)
STRUCTURES_2022 = [
    (1, "CCAS de Houplines", "ccas", "59317", E.RETENUE, (7, 4)),
    (2, "CCAS de Leers", "ccas", "59339", E.RETENUE, (7, 21)),
    (3, "CCAS de Haubourdin", "ccas", "59286", E.RETENUE, (8, 30)),
    (4, "CCAS de Faches-Thumesnil", "ccas", "59220", E.RETENUE, (9, 2)),
    (5, "ESAT « Les Ateliers de la Lys »", "esat", "59202", E.RETENUE, (9, 9)),
    (
        11,
        "Association Les Claviers du Mélantois (fictive)",
        "association",
        "59256",
        E.BROUILLON,
        None,
    ),
    (12, "Centre social des Weppes (fictif)", "centre_social", "59524", E.BROUILLON, None),
    (13, "Association Passerelle Numérique (fictive)", "association", "59090", E.DEPOSEE, (9, 14)),
    (14, "Médiathèque L'Écritoire (fictive)", "mediatheque", "59352", E.DEPOSEE, (9, 15)),
    (15, "Association Entr'Aide Deûle (fictive)", "association", "59482", E.A_COMPLETER, (8, 25)),
    (16, "CIAS des Villages du Ferrain (fictif)", "cias", "59426", E.A_COMPLETER, (9, 1)),
    (17, "Association Roubaix Connectée (fictive)", "association", "59512", E.IRRECEVABLE, (7, 12)),
    (18, "Centre social du Laboureur (fictif)", "centre_social", "59650", E.IRRECEVABLE, (8, 3)),
    (19, "Association Fil d'Ariane (fictive)", "association", "59299", E.IRRECEVABLE, (9, 6)),
    # Recevables, donc décidées : la publication des résultats refuse une candidature
    # recevable sans décision.
    (20, "Association Lire et Cliquer (fictive)", "association", "59457", E.NON_RETENUE, (8, 8)),
    (21, "Centre social La Marelle (fictif)", "centre_social", "59653", E.NON_RETENUE, (9, 12)),
    (22, "Association Clic'Solidaire (fictive)", "association", "59636", E.LISTE_ATTENTE, (7, 28)),
    (
        23,
        "Médiathèque Les Quatre Vents (fictive)",
        "mediatheque",
        "59152",
        E.LISTE_ATTENTE,
        (8, 17),
    ),
    (
        24,
        "Association Génération Tablette (fictive)",
        "association",
        "59421",
        E.NON_RETENUE,
        (8, 11),
    ),
    (25, "Centre social Les Tilleuls (fictif)", "centre_social", "59508", E.NON_RETENUE, (8, 22)),
    (26, "Association Tremplin Emploi (fictive)", "association", "59051", E.NON_RETENUE, (9, 13)),
    (27, "Association Atelier Solidaire (fictive)", "association", "59044", E.RETIREE, (7, 19)),
]

STRUCTURE_DU_CANDIDAT_DEMO = 22
# Le CCAS de Houplines, lauréat 2022 : son compte montre le côté structure de l'accompagnement.
STRUCTURE_DE_LA_LAUREATE_DEMO = 1

# Dépôts sur l'appel ouvert : (clé SIRET de la structure, état).
CANDIDATURES_2027 = [(13, E.BROUILLON), (14, E.DEPOSEE)]

MOTIF_FORCAGE = (
    "Admise à l'appel de 2022 : la liste des quartiers prioritaires alors en vigueur était "
    "celle de 2015 (la liste 2024 ne s'applique que depuis le 1er janvier 2024). Le calcul "
    "ci-dessus applique la liste 2024, la seule chargée dans Relais."
)
MOTIFS_IRRECEVABILITE = {
    17: "Roubaix compte plus de 21 000 habitants et des quartiers prioritaires : la structure "
    "est hors des critères de l'appel.",
    18: "Wattrelos compte plus de 21 000 habitants : la structure est hors des critères de "
    "l'appel.",
    19: "Hem a un quartier prioritaire sur son territoire : la structure est hors des critères "
    "de l'appel.",
}
DEMANDES_COMPLEMENT = {
    15: "Merci de joindre la délibération du conseil d'administration autorisant la candidature.",
    16: "La réponse sur le nombre de personnes à former manque de précision : pouvez-vous "
    "indiquer les postes concernés ?",
}

DATES_2022 = {
    "ouverture": _a(2022, 6, 20, 9),
    "date_limite": _a(2022, 9, 16, 12),
    "recevabilite": _a(2022, 9, 20, 15),
    "evaluation": _a(2022, 9, 19, 9),
    "deliberation": _a(2022, 9, 28, 9),
    "decision": _a(2022, 9, 29, 17),
}


def _dates_appel_ouvert():
    """Ouvert depuis le 1er du mois dernier, jusqu'au 15 du troisième mois qui suit : les
    mêmes dates toute une journée, donc deux passages le même jour donnent les mêmes données."""
    aujourd_hui = timezone.localdate()
    debut_du_mois = aujourd_hui.replace(day=1)
    mois_dernier = (debut_du_mois - datetime.timedelta(days=1)).replace(day=1)
    annee, mois = divmod(aujourd_hui.month - 1 + 3, 12)
    ouverture = datetime.datetime.combine(mois_dernier, datetime.time(9), tzinfo=PARIS)
    limite = datetime.datetime(aujourd_hui.year + annee, mois + 1, 15, 12, tzinfo=PARIS)
    return ouverture, limite


def _reponses(questions, numero, commune):
    """Des réponses plausibles et stables, qui varient un peu d'une structure à l'autre."""
    presentation, motivation, accompagnes, publics, salle, equipe, debut = questions
    choix = publics.choix
    return {
        str(presentation.pk): f"Nous accueillons chaque semaine des habitants de {commune.nom} "
        "pour l'accès aux droits, l'aide administrative et l'accompagnement social.",
        str(motivation.pk): "De plus en plus de démarches se font en ligne et une partie de "
        "notre public n'y arrive pas seule. Nous voulons proposer des ateliers réguliers.",
        str(accompagnes.pk): 150 + 37 * numero,
        str(publics.pk): [choix[numero % len(choix)], choix[(numero + 2) % len(choix)]],
        str(salle.pk): numero % 3 != 0,
        str(equipe.pk): 1 + numero % 3,
        str(debut.pk): "2022-10-03",
    }


class ChargeurDemo:
    def __init__(self):
        utilisateurs = get_user_model().objects
        self.gestionnaire = utilisateurs.get(email=GESTIONNAIRE_DEMO)
        self.candidat = utilisateurs.get(email=CANDIDAT_DEMO)
        self.laureate = utilisateurs.get(email=LAUREATE_DEMO)
        self.type_candidature = ContentType.objects.get_for_model(Candidature)
        self._pdf = None

    def charger(self):
        codes = {code for _, _, _, code, _, _ in STRUCTURES_2022}
        if Commune.objects.filter(code_insee__in=codes).count() != len(codes):
            raise CommandError(
                "Les communes de référence manquent : lancez d'abord "
                "« manage.py import_territoires »."
            )
        programme, _ = Programme.objects.update_or_create(
            slug=PROGRAMME["slug"], defaults=PROGRAMME
        )
        programme.gestionnaires.add(self.gestionnaire)

        appel_2022 = self._appel(
            programme,
            slug="ami-inclusion-numerique-2022",
            titre="AMI 2022 : inclusion numérique des structures sociales des petites communes",
            description=DESCRIPTION_2022,
            ouverture=DATES_2022["ouverture"],
            date_limite=DATES_2022["date_limite"],
            etat=EtatAppel.DECIDE,
            copie_de=None,
        )
        self._historique_appel_2022(appel_2022)
        structures = {}
        for cle, nom, type_, code, etat, jour in STRUCTURES_2022:
            structures[cle] = self._structure(cle, nom, type_, code)
            depot = _a(2022, jour[0], jour[1], 11, cle % 60) if jour else None
            self._candidature(appel_2022, structures[cle], cle, etat, depot)
        MembreStructure.objects.update_or_create(
            structure=structures[STRUCTURE_DU_CANDIDAT_DEMO],
            utilisateur=self.candidat,
            defaults={"est_responsable": True},
        )
        MembreStructure.objects.update_or_create(
            structure=structures[STRUCTURE_DE_LA_LAUREATE_DEMO],
            utilisateur=self.laureate,
            defaults={"est_responsable": True},
        )

        ouverture, limite = _dates_appel_ouvert()
        appel_ouvert = self._appel(
            programme,
            slug="ami-inclusion-numerique-2027",
            titre="AMI 2027 : inclusion numérique des structures sociales des petites communes",
            description=DESCRIPTION_2027,
            ouverture=ouverture,
            date_limite=limite,
            etat=EtatAppel.OUVERT,
            copie_de=appel_2022,
        )
        self._ecrire_journal(
            appel_ouvert, [("publier", "brouillon", "ouvert", ouverture, self.gestionnaire, "")]
        )
        for cle, etat in CANDIDATURES_2027:
            depot = (
                ouverture + datetime.timedelta(days=1, hours=cle) if etat != E.BROUILLON else None
            )
            self._candidature(appel_ouvert, structures[cle], cle, etat, depot)
        return programme

    # --- Appels ---------------------------------------------------------------------------

    def _appel(self, programme, *, slug, etat, copie_de, **champs):
        regles = {
            "perimetre_epci": ["200093201"],
            "perimetre_departements": [],
            "seuil_population": 21000,
            "type_population": "municipale",
            "version_qpv": "",
            "qpv_intercommunal": "ineligible",
            "types_structure": [],
        }
        valeurs = {
            "programme": programme,
            "nombre_places": 5,
            "regles_verifiees_le": champs["ouverture"] - datetime.timedelta(days=7),
            "publie_le": champs["ouverture"],
            "clos_le": champs["date_limite"] if etat != EtatAppel.OUVERT else None,
            "copie_de": copie_de,
            **regles,
            **champs,
        }
        appel = Appel.objects.filter(slug=slug).first()
        if appel is None:
            appel = Appel.objects.create(slug=slug, etat=etat, **valeurs)
        else:
            # L'état est protégé contre l'affectation : une mise à jour en base le remet.
            Appel.objects.filter(pk=appel.pk).update(etat=etat, **valeurs)
            appel = Appel.objects.get(pk=appel.pk)
        for ordre, (type_, libelle, aide, obligatoire, limite, choix) in enumerate(QUESTIONS, 1):
            Question.objects.update_or_create(
                appel=appel,
                ordre=ordre,
                defaults={
                    "type": type_,
                    "libelle": libelle,
                    "aide": aide,
                    "obligatoire": obligatoire,
                    "limite_caracteres": limite,
                    "choix": choix,
                },
            )
        appel.questions.filter(ordre__gt=len(QUESTIONS)).delete()
        for ordre, (libelle, aide, obligatoire) in enumerate(PIECES, 1):
            PieceDemandee.objects.update_or_create(
                appel=appel,
                ordre=ordre,
                defaults={"libelle": libelle, "aide": aide, "obligatoire": obligatoire},
            )
        appel.pieces_demandees.filter(ordre__gt=len(PIECES)).delete()
        return appel

    def _historique_appel_2022(self, appel):
        d = DATES_2022
        g = self.gestionnaire
        self._ecrire_journal(
            appel,
            [
                ("publier", "brouillon", "ouvert", d["ouverture"], g, ""),
                ("clore", "ouvert", "clos", d["date_limite"], None, "Date limite atteinte"),
                ("lancer_evaluation", "clos", "en_evaluation", d["evaluation"], g, ""),
                (
                    "ouvrir_deliberation",
                    "en_evaluation",
                    "en_deliberation",
                    d["deliberation"],
                    g,
                    "",
                ),
                (
                    "marquer_decide",
                    "en_deliberation",
                    "decide",
                    d["decision"],
                    g,
                    "Cinq lauréates : quatre CCAS et un ESAT.",
                ),
            ],
        )

    # --- Structures et candidatures -------------------------------------------------------

    def _structure(self, cle, nom, type_, code):
        commune = Commune.objects.get(code_insee=code)
        adresse = "Adresse de démonstration"
        if cle == 5:
            adresse = "Adresse illustrative : les sources ne donnent pas la commune de l'ESAT"
        structure, _ = Structure.objects.update_or_create(
            siret=_siret(cle),
            defaults={
                "nom": nom,
                "type": type_,
                "commune": commune,
                "adresse": adresse,
                "code_postal": "59000",
                "contact_nom": "Contact de démonstration",
                "contact_fonction": "Direction",
                "contact_email": f"structure{cle}@demo.relais.test",
                "contact_telephone": "03 20 00 00 00",
            },
        )
        return structure

    def _candidature(self, appel, structure, cle, etat, depot):
        questions = list(appel.questions.order_by("ordre"))
        instantane, resultat = {}, ""
        if depot is not None:
            instantane = evaluer_eligibilite(
                structure.commune.code_insee,
                ReglesEligibilite.depuis_appel(appel),
                type_structure=structure.type,
            ).en_dict()
            instantane["evaluee_le"] = depot.isoformat()
            resultat = instantane["result"]
        force = appel.etat != EtatAppel.OUVERT and resultat == "non_eligible" and cle in (3, 4)
        d = DATES_2022
        valeurs = {
            "reponses": _reponses(questions, cle, structure.commune),
            "creee_le": (depot or d["date_limite"]) - datetime.timedelta(days=3),
            "brouillon_enregistre_le": (depot or d["date_limite"]) - datetime.timedelta(days=1),
            "premier_depot_le": depot,
            "deposee_le": depot,
            "eligibilite": instantane,
            "resultat_eligibilite": "eligible" if force else resultat,
            "eligibilite_forcee_le": d["recevabilite"] if force else None,
            "eligibilite_forcee_par": self.gestionnaire if force else None,
            "motif_forcage_eligibilite": MOTIF_FORCAGE if force else "",
            "demande_complement": DEMANDES_COMPLEMENT.get(cle, "") if etat == E.A_COMPLETER else "",
            "motif_irrecevabilite": MOTIFS_IRRECEVABILITE.get(cle, "")
            if etat == E.IRRECEVABLE
            else "",
            "motif_retrait": "Projet reporté à l'an prochain." if etat == E.RETIREE else "",
            "recevabilite_decidee_le": d["recevabilite"]
            if etat in (E.IRRECEVABLE, E.RECEVABLE, E.RETENUE, E.LISTE_ATTENTE, E.NON_RETENUE)
            else None,
            "decidee_le": d["decision"]
            if etat in (E.RETENUE, E.LISTE_ATTENTE, E.NON_RETENUE)
            else None,
            "retiree_le": depot + datetime.timedelta(days=20) if etat == E.RETIREE else None,
            "creee_par": self.candidat if cle == STRUCTURE_DU_CANDIDAT_DEMO else None,
        }
        candidature = Candidature.objects.filter(appel=appel, structure=structure).first()
        if candidature is None:
            candidature = Candidature.objects.create(
                appel=appel, structure=structure, etat=etat, **valeurs
            )
        else:
            Candidature.objects.filter(pk=candidature.pk).update(etat=etat, **valeurs)
            candidature = Candidature.objects.get(pk=candidature.pk)
        if depot is not None:
            self._piece(candidature, appel.pieces_demandees.get(ordre=1), structure)
        self._ecrire_journal(candidature, self._etapes(candidature, cle, etat, depot))
        Evenement.objects.filter(
            cible_type=self.type_candidature,
            cible_id=candidature.pk,
            type=TypeEvenement.ELIGIBILITE_FORCEE,
        ).delete()
        if force:
            Evenement.objects.create(
                type=TypeEvenement.ELIGIBILITE_FORCEE,
                acteur=self.gestionnaire,
                survenu_le=d["recevabilite"] - datetime.timedelta(minutes=5),
                cible_type=self.type_candidature,
                cible_id=candidature.pk,
                motif=MOTIF_FORCAGE,
                donnees={"avant": "non_eligible", "apres": "eligible", "calcule": "non_eligible"},
            )
        return candidature

    def _etapes(self, candidature, cle, etat, depot):
        if depot is None:
            return []
        d = DATES_2022
        g = self.gestionnaire
        structure = self.candidat if cle == STRUCTURE_DU_CANDIDAT_DEMO else None
        etapes = [("deposer", "brouillon", "deposee", depot, structure, "Dépôt")]
        if etat == E.A_COMPLETER:
            etapes.append(
                (
                    "demander_complement",
                    "deposee",
                    "a_completer",
                    depot + datetime.timedelta(days=4),
                    g,
                    candidature.demande_complement,
                )
            )
        elif etat == E.IRRECEVABLE:
            etapes.append(
                (
                    "declarer_irrecevable",
                    "deposee",
                    "irrecevable",
                    d["recevabilite"],
                    g,
                    candidature.motif_irrecevabilite,
                )
            )
        elif etat == E.RETIREE:
            etapes.append(
                (
                    "retirer",
                    "deposee",
                    "retiree",
                    candidature.retiree_le,
                    structure,
                    candidature.motif_retrait,
                )
            )
        elif etat in (E.RECEVABLE, E.RETENUE, E.LISTE_ATTENTE, E.NON_RETENUE):
            etapes.append(
                ("declarer_recevable", "deposee", "recevable", d["recevabilite"], g, "Recevable")
            )
            decision = {
                E.RETENUE: "retenir",
                E.LISTE_ATTENTE: "mettre_en_liste_attente",
                E.NON_RETENUE: "ne_pas_retenir",
            }.get(etat)
            if decision:
                etapes.append(
                    (
                        decision,
                        "recevable",
                        etat,
                        d["decision"],
                        g,
                        "Délibération du jury du 29 septembre 2022",
                    )
                )
        return etapes

    def _ecrire_journal(self, objet, etapes):
        type_objet = ContentType.objects.get_for_model(objet)
        StateLog.objects.filter(content_type=type_objet, object_id=objet.pk).delete()
        StateLog.objects.bulk_create(
            StateLog(
                content_type=type_objet,
                object_id=objet.pk,
                transition=transition,
                source_state=depuis,
                state=vers,
                timestamp=quand,
                by=par,
                description=motif,
            )
            for transition, depuis, vers, quand, par, motif in etapes
        )

    def _piece(self, candidature, piece_demandee, structure):
        chemin = f"demo/appel-{candidature.appel.slug}/{structure.siret}/deliberation.pdf"
        if not default_storage.exists(chemin):
            default_storage.save(chemin, ContentFile(self._pdf_de_demo()))
        PieceJointe.objects.update_or_create(
            candidature=candidature,
            piece_demandee=piece_demandee,
            defaults={
                "fichier": chemin,
                "nom_original": "deliberation.pdf",
                "type_mime": "application/pdf",
                "taille": default_storage.size(chemin),
                "ajoutee_par": None,
                "ajoutee_le": candidature.deposee_le - datetime.timedelta(hours=1),
            },
        )

    def _pdf_de_demo(self):
        if self._pdf is None:
            from weasyprint import HTML

            self._pdf = HTML(
                string="<p>Document de démonstration de Relais : une délibération fictive.</p>"
            ).write_pdf()
        return self._pdf


def charger():
    """Charge (ou remet à l'identique) le programme de démonstration et ses appels."""
    return ChargeurDemo().charger()
