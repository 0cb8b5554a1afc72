"""Données de démonstration des appels : l'appel 2022 du premier cas, passé, avec ses 22
candidatures, et un appel ouvert auquel un visiteur peut candidater.

Appelé par `seed_demo`. L'histoire est jouée par les services de l'application, ceux que les
vues appellent, chaque geste par la personne de la démo qui l'aurait fait et à sa date
(`demo.horloge`) : la gestionnaire crée et publie l'appel, chaque structure crée son profil,
remplit et dépose sa candidature, la gestionnaire instruit, le jury note et délibère, les
résultats sont publiés. Le journal (transitions et évènements) et la boîte d'envoi sont donc
ceux que l'application aurait écrits.

Idempotent : une histoire déjà jouée (l'appel existe, à sa clé stable) n'est pas rejouée ; deux
passages donnent les mêmes données. Pour repartir de zéro, videz la base.

Ce qui vient des sources : le périmètre (EPCI 200093201, communes de moins de 21 000 habitants
sans QPV), les cinq lauréates (les CCAS de Houplines, Leers, Haubourdin et Faches-Thumesnil,
l'ESAT « Les Ateliers de la Lys »), 22 candidatures, un accompagnement à partir d'octobre 2022.
Ce qui est illustratif : les dates exactes de l'appel, les SIRET (fictifs mais bien formés), les
réponses, la commune de l'ESAT (les sources ne la donnent pas), les comptes des structures
fictives, et toutes les structures dont le nom porte « (fictif) » ou « (fictive) ».
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.utils import timezone

from candidatures import services
from candidatures.enums import EtatCandidature
from demo import jury
from demo.horloge import PARIS, a_la_date
from demo.horloge import le as _a
from noyau.roles import Role
from programmes.enums import EtatAppel, TypeQuestion
from programmes.models import Appel, PieceDemandee, Programme, Question
from structures.models import Structure
from structures.validators import cle_de_luhn_valide
from territoires.models import Commune

E = EtatCandidature

GESTIONNAIRE_DEMO = "gestionnaire@demo.relais.test"
CANDIDAT_DEMO = "candidat@demo.relais.test"
LAUREATE_DEMO = "laureate@demo.relais.test"


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

# (clé SIRET, nom, type, code INSEE, état, jour du dépôt en 2022)
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
    "creation": _a(2022, 6, 13, 10),
    "ouverture": _a(2022, 6, 20, 9),
    "jury": _a(2022, 9, 5, 10),
    "date_limite": _a(2022, 9, 16, 12),
    "recevabilite": _a(2022, 9, 19, 9),
    "evaluation": _a(2022, 9, 19, 10),
    "deliberation": _a(2022, 9, 28, 9),
    "decision": _a(2022, 9, 29, 17),
}
MOTIF_RETRAIT = "Projet reporté à l'an prochain."
REGLES = {
    "perimetre_epci": ["200093201"],
    "perimetre_departements": [],
    "seuil_population": 21000,
    "type_population": "municipale",
    "version_qpv": "",
    "qpv_intercommunal": "ineligible",
    "types_structure": [],
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


def _pdf_de_demo():
    from weasyprint import HTML

    return HTML(
        string="<p>Document de démonstration de Relais : une délibération fictive.</p>"
    ).write_pdf()


class ChargeurDemo:
    def __init__(self, stdout=None):
        utilisateurs = get_user_model().objects
        self.stdout = stdout
        self.gestionnaire = utilisateurs.get(email=GESTIONNAIRE_DEMO)
        self.candidat = utilisateurs.get(email=CANDIDAT_DEMO)
        self.laureate = utilisateurs.get(email=LAUREATE_DEMO)
        self._pdf = None

    def _dire(self, texte):
        if self.stdout is not None:
            self.stdout.write(texte)

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

        appel_2022 = Appel.objects.filter(slug="ami-inclusion-numerique-2022").first()
        if appel_2022 is None:
            appel_2022 = self._raconter_2022(programme)
        else:
            self._dire("Appel 2022 : déjà raconté, laissé tel quel.")
        appel_ouvert = Appel.objects.filter(slug="ami-inclusion-numerique-2027").first()
        if appel_ouvert is None:
            self._raconter_appel_ouvert(programme, appel_2022)
        else:
            self._garder_ouvert(appel_ouvert)
        return programme

    # --- Les appels, créés et publiés par la gestionnaire -------------------------------------

    def _appel(self, programme, *, cree_le, slug, copie_de=None, **champs):
        g = self.gestionnaire
        with a_la_date(cree_le):
            appel = services.creer_appel(
                programme=programme, par=g, slug=slug, nombre_places=5, copie_de=copie_de, **champs
            )
            # Le formulaire de l'appel : ses questions et ses pièces (des lignes sans état).
            Question.objects.bulk_create(
                Question(
                    appel=appel,
                    ordre=ordre,
                    type=type_,
                    libelle=libelle,
                    aide=aide,
                    obligatoire=obligatoire,
                    limite_caracteres=limite,
                    choix=choix,
                )
                for ordre, (type_, libelle, aide, obligatoire, limite, choix) in enumerate(
                    QUESTIONS, 1
                )
            )
            PieceDemandee.objects.bulk_create(
                PieceDemandee(
                    appel=appel, ordre=ordre, libelle=libelle, aide=aide, obligatoire=obligatoire
                )
                for ordre, (libelle, aide, obligatoire) in enumerate(PIECES, 1)
            )
        with a_la_date(cree_le + datetime.timedelta(minutes=30)):
            services.enregistrer_regles(appel, par=g, regles=REGLES)
        with a_la_date(champs["ouverture"]):
            services.publier_appel(appel, par=g)
        return Appel.objects.get(pk=appel.pk)

    def _raconter_2022(self, programme):
        d = DATES_2022
        g = self.gestionnaire
        appel = self._appel(
            programme,
            cree_le=d["creation"],
            slug="ami-inclusion-numerique-2022",
            titre="AMI 2022 : inclusion numérique des structures sociales des petites communes",
            description=DESCRIPTION_2022,
            ouverture=d["ouverture"],
            date_limite=d["date_limite"],
        )
        with a_la_date(d["jury"]):
            membres = jury.preparer(appel, par=g)

        # Chaque structure crée son profil, remplit, joint sa délibération et dépose.
        candidatures = {}
        for cle, nom, type_, code, etat, jour in STRUCTURES_2022:
            depot = _a(2022, jour[0], jour[1], 11, cle % 60) if jour else None
            candidatures[cle] = self._candidature_2022(appel, cle, nom, type_, code, etat, depot)

        with a_la_date(d["date_limite"]):
            services.clore_appel(appel, motif="Date limite atteinte : clôture automatique")

        # L'instruction : forçages, irrecevabilités, recevabilités.
        recevabilite = d["recevabilite"]
        for cle, *_reste, etat, _jour in STRUCTURES_2022:
            candidature = candidatures[cle]
            if candidature.resultat_eligibilite == "non_eligible" and cle in (3, 4):
                with a_la_date(recevabilite - datetime.timedelta(minutes=10)):
                    services.forcer_eligibilite(
                        candidature, par=g, resultat="eligible", motif=MOTIF_FORCAGE
                    )
            minute = recevabilite + datetime.timedelta(minutes=cle)
            if etat == E.IRRECEVABLE:
                with a_la_date(minute):
                    services.declarer_irrecevable(
                        candidature, par=g, motif=MOTIFS_IRRECEVABILITE[cle]
                    )
            elif etat in (E.RECEVABLE, E.RETENUE, E.LISTE_ATTENTE, E.NON_RETENUE):
                with a_la_date(minute):
                    services.declarer_recevable(candidature, par=g)

        decisions = {
            candidatures[cle].pk: etat
            for cle, *_reste, etat, _jour in STRUCTURES_2022
            if etat in (E.RETENUE, E.LISTE_ATTENTE, E.NON_RETENUE)
        }
        jury.evaluer_et_deliberer(appel, par=g, membres=membres, decisions=decisions, dates=d)
        self._dire(
            f"Appel 2022 : {len(candidatures)} candidatures, jury de {len(membres)} membres, "
            "résultats publiés."
        )
        return Appel.objects.get(pk=appel.pk)

    # --- Les structures et leurs candidatures -------------------------------------------------

    def _compte_de_la_structure(self, cle, nom):
        """Qui agit pour la structure : la candidate et la lauréate de démo pour les leurs, un
        compte sans mot de passe (personne ne s'y connecte) pour chacune des autres."""
        if cle == STRUCTURE_DU_CANDIDAT_DEMO:
            return self.candidat
        if cle == STRUCTURE_DE_LA_LAUREATE_DEMO:
            return self.laureate
        Utilisateur = get_user_model()
        email = f"structure{cle}@demo.relais.test"
        compte = Utilisateur.objects.filter(email=email).first()
        if compte is None:
            compte = Utilisateur.objects.create_user(
                email=email, password=None, first_name="Contact", last_name=nom[:150]
            )
        compte.groups.add(Group.objects.get_or_create(name=Role.CANDIDAT)[0])
        return compte

    def _structure(self, compte, cle, nom, type_, code, le):
        structure = Structure.objects.filter(siret=_siret(cle)).first()
        if structure is not None:
            return structure
        adresse = "Adresse de démonstration"
        if cle == 5:
            adresse = "Adresse illustrative : les sources ne donnent pas la commune de l'ESAT"
        with a_la_date(le):
            return services.creer_structure(
                par=compte,
                siret=_siret(cle),
                nom=nom,
                type=type_,
                commune=Commune.objects.get(code_insee=code),
                adresse=adresse,
                code_postal="59000",
                contact_nom="Contact de démonstration",
                contact_fonction="Direction",
                contact_email=f"structure{cle}@demo.relais.test",
                contact_telephone="03 20 00 00 00",
            )

    def _remplir(self, appel, structure, compte, cle, commencee_le, depot):
        """Commence la candidature, enregistre les réponses et, si elle est déposée, joint la
        délibération et dépose. Renvoie la candidature."""
        with a_la_date(commencee_le):
            candidature, _ = services.commencer_candidature(appel, structure, par=compte)
        questions = list(appel.questions.order_by("ordre"))
        with a_la_date(commencee_le + datetime.timedelta(minutes=40)):
            services.enregistrer_reponses(
                candidature, par=compte, reponses=_reponses(questions, cle, structure.commune)
            )
        if depot is None:
            return candidature
        with a_la_date(depot - datetime.timedelta(hours=1)):
            services.joindre_fichier(
                candidature,
                par=compte,
                fichier=SimpleUploadedFile(
                    "deliberation.pdf", self._pdf_de_demo(), content_type="application/pdf"
                ),
                piece_demandee=appel.pieces_demandees.get(ordre=1),
            )
        with a_la_date(depot):
            return services.deposer_candidature(candidature, par=compte)

    def _candidature_2022(self, appel, cle, nom, type_, code, etat, depot):
        compte = self._compte_de_la_structure(cle, nom)
        commencee_le = (depot or _a(2022, 9, 12, 10, cle)) - datetime.timedelta(days=3)
        structure = self._structure(compte, cle, nom, type_, code, commencee_le)
        candidature = self._remplir(appel, structure, compte, cle, commencee_le, depot)
        if etat == E.A_COMPLETER:
            with a_la_date(depot + datetime.timedelta(days=4)):
                services.demander_complement(
                    candidature, par=self.gestionnaire, message=DEMANDES_COMPLEMENT[cle]
                )
        elif etat == E.RETIREE:
            with a_la_date(depot + datetime.timedelta(days=20)):
                services.retirer_candidature(candidature, par=compte, motif=MOTIF_RETRAIT)
        return candidature

    def _raconter_appel_ouvert(self, programme, appel_2022):
        ouverture, limite = _dates_appel_ouvert()
        appel = self._appel(
            programme,
            cree_le=ouverture - datetime.timedelta(days=7),
            slug="ami-inclusion-numerique-2027",
            copie_de=appel_2022,
            titre="AMI 2027 : inclusion numérique des structures sociales des petites communes",
            description=DESCRIPTION_2027,
            ouverture=ouverture,
            date_limite=limite,
        )
        for cle, etat in CANDIDATURES_2027:
            structure = Structure.objects.get(siret=_siret(cle))
            compte = structure.membres.order_by("adhesions__pk").first()
            depot = ouverture + datetime.timedelta(days=1, hours=cle)
            self._remplir(
                appel,
                structure,
                compte,
                cle,
                depot - datetime.timedelta(hours=2),
                depot if etat != E.BROUILLON else None,
            )
        self._dire(f"Appel ouvert : {appel.titre}, jusqu'au {limite:%d/%m/%Y}.")

    def _garder_ouvert(self, appel):
        """Des mois après le premier chargement, l'appel ouvert a passé sa date limite : la
        gestionnaire la repousse (ou rouvre l'appel clos à l'échéance), comme elle le ferait
        dans l'application, pour qu'un visiteur puisse toujours essayer le dépôt."""
        _ouverture, limite = _dates_appel_ouvert()
        if appel.date_limite >= limite:
            return
        if appel.etat == EtatAppel.OUVERT:
            services.modifier_appel(appel, par=self.gestionnaire, champs={"date_limite": limite})
        elif appel.etat == EtatAppel.CLOS:
            services.rouvrir_appel(
                appel,
                par=self.gestionnaire,
                date_limite=limite,
                motif="Démonstration : l'appel reste ouvert pour essayer le dépôt.",
            )
        else:
            return
        self._dire(f"Appel ouvert : date limite repoussée au {limite:%d/%m/%Y}.")

    def _pdf_de_demo(self):
        if self._pdf is None:
            self._pdf = _pdf_de_demo()
        return self._pdf


def charger(stdout=None):
    """Raconte, si ce n'est déjà fait, l'histoire du programme de démonstration et de ses
    appels."""
    return ChargeurDemo(stdout).charger()
