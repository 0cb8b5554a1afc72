"""Le jury de l'appel 2022, joué par les services de l'évaluation : la gestionnaire prépare le
jury et ses quatre membres (dont le compte jury@demo.relais.test), affecte les candidatures
recevables et lance l'évaluation ; chaque membre déclare ses conflits (la membre élue de Leers
en déclare un) et valide ses notes ; la séance du 28 septembre 2022 atteint le quorum, le jury
décide, et la gestionnaire publie les résultats (lettres, plans des lauréates, liste d'attente
rangée par le classement).

Appelé par le chargeur des appels (`demo.candidatures`), une seule fois : l'histoire n'est pas
rejouée. Les membres autres que le compte de démo, leurs notes et le procès-verbal sont
illustratifs.
"""

import datetime

from django.contrib.auth import get_user_model

from candidatures.models import Candidature
from demo.horloge import a_la_date
from demo.horloge import le as _a
from evaluation import services
from evaluation.enums import ModeAffectation, TypeConflit
from evaluation.models import Critere, Jury
from programmes.models import Appel
from territoires.models import Commune

# (adresse, prénom, nom, code INSEE de la commune d'attache ou None)
MEMBRES = [
    ("jury@demo.relais.test", "Jules", "Jury", None),
    ("elue.leers@demo.relais.test", "Léa", "Lefebvre (fictive)", None),
    ("partenaire.caf@demo.relais.test", "Karim", "Benali (fictif)", None),
    ("mediatrice@demo.relais.test", "Sophie", "Martin (fictive)", None),
]
# La membre élue de Leers se déclare en conflit avec le CCAS de Leers. Son attache à Leers n'est
# pas saisie à l'ajout : l'affectation l'aurait écartée d'office, et la démo montre une
# déclaration faite par le membre.
CONFLIT = ("elue.leers@demo.relais.test", "CCAS de Leers", TypeConflit.ELU)

# Notes de base par état (sur 5, pour les cinq critères) ; un petit décalage par membre et par
# candidature les rend différentes sans changer l'ordre des décisions.
BASE_PAR_ETAT = {
    "retenue": [5, 5, 4, 4, 4],
    "liste_attente": [4, 4, 3, 3, 3],
    "non_retenue": [2, 3, 2, 2, 2],
}
MOTIFS = {
    "non_retenue": "Projet encore peu défini et public déjà accompagné sur la commune.",
}


def _valeurs(etat, rang_membre, rang_candidature):
    base = BASE_PAR_ETAT[etat]
    decalage = (rang_membre + rang_candidature) % 3 - 1  # -1, 0 ou +1 sur un critère
    valeurs = list(base)
    indice = (rang_membre + rang_candidature) % len(valeurs)
    valeurs[indice] = max(0, min(5, valeurs[indice] + decalage))
    return valeurs


def _comptes():
    """Les comptes des membres : celui de démo existe ; les autres sont créés sans mot de passe
    (personne ne s'y connecte), comme des comptes ouverts avant l'appel."""
    Utilisateur = get_user_model()
    comptes = []
    for email, prenom, nom, _code in MEMBRES:
        utilisateur = Utilisateur.objects.filter(email=email).first()
        if utilisateur is None:
            utilisateur = Utilisateur.objects.create_user(
                email=email, password=None, first_name=prenom, last_name=nom
            )
        comptes.append(utilisateur)
    return comptes


def preparer(appel, *, par):
    """Le jury, sa grille par défaut, sa date limite de notation et ses quatre membres."""
    jury = services.preparer_jury(appel, par=par)
    services.regler_jury(
        jury,
        par=par,
        champs={"date_limite_notation": _a(2022, 9, 27, 18), "notes_dans_la_lettre": True},
    )
    membres = []
    for (email, _prenom, _nom, code), _compte in zip(MEMBRES, _comptes(), strict=True):
        commune = Commune.objects.filter(code_insee=code).first() if code else None
        membres.append(services.ajouter_membre(jury, par=par, email=email, commune=commune))
    return membres


def evaluer_et_deliberer(appel, *, par, membres, decisions, dates):
    """De l'affectation à la publication des résultats. `decisions` : {id de candidature:
    sens décidé par le jury}."""
    jury = Jury.objects.get(appel=appel)
    debut = dates["evaluation"]
    with a_la_date(debut - datetime.timedelta(minutes=30)):
        services.affecter(jury, par=par, mode=ModeAffectation.TOUS)
    with a_la_date(debut):
        services.lancer_evaluation(appel, par=par)

    criteres = list(Critere.objects.filter(grille__appel=appel).order_by("ordre"))
    candidatures = list(
        Candidature.objects.filter(appel=appel, pk__in=list(decisions))
        .select_related("structure")
        .order_by("structure__siret")
    )
    for rang_membre, membre in enumerate(membres):
        compte = membre.utilisateur
        for rang_candidature, candidature in enumerate(candidatures):
            en_conflit = (membre.email, candidature.structure.nom) == CONFLIT[:2]
            with a_la_date(_a(2022, 9, 19, 14, rang_candidature)):
                services.declarer_conflit(
                    candidature,
                    par=compte,
                    en_conflit=en_conflit,
                    type_conflit=CONFLIT[2] if en_conflit else "",
                    precision="Conseillère municipale de Leers." if en_conflit else "",
                )
            if en_conflit:
                continue
            valeurs = _valeurs(decisions[candidature.pk], rang_membre, rang_candidature)
            with a_la_date(_a(2022, 9, 20 + rang_membre, 17, rang_candidature)):
                services.enregistrer_notes(
                    candidature,
                    par=compte,
                    notes={c.pk: (v, "") for c, v in zip(criteres, valeurs, strict=True)},
                    commentaire="Notes de démonstration.",
                    valider=True,
                )

    seance = dates["deliberation"]
    with a_la_date(seance):
        services.ouvrir_deliberation(appel, par=par)
    with a_la_date(seance + datetime.timedelta(hours=3)):
        services.enregistrer_seance(
            appel,
            par=par,
            date=seance,
            presents=membres,
            quorum=3,
            proces_verbal=(
                "Séance du jury de sélection. Quatre membres présents, quorum atteint. "
                "Le jury retient les cinq structures les mieux classées, place deux "
                "candidatures sur liste d'attente et ne retient pas les autres. La membre élue "
                "de Leers s'est retirée pendant l'examen du CCAS de Leers."
            ),
        )
        services.enregistrer_decisions(
            appel,
            par=par,
            decisions={pk: (sens, MOTIFS.get(sens, "")) for pk, sens in decisions.items()},
        )
    with a_la_date(dates["decision"]):
        # L'appel relu : la page de la délibération montre l'appel tel qu'il est.
        services.publier_resultats(Appel.objects.get(pk=appel.pk), par=par)
    return jury
