"""Le petit jeu de données du bilan, dont chaque chiffre est calculé à la main dans
`test_bilan.py`. Deux lauréates actives (A, B), une lauréate sans activité (D), et une
structure non retenue (C) dont l'activité ne doit rien changer."""

import datetime
from decimal import Decimal

from activite.enums import Genre, StatutParticipation, TypeAction
from tests.activite.factories import (
    ActionFactory,
    BeneficiaireFactory,
    ListeAttenteFactory,
    ParticipationFactory,
)
from tests.candidatures.factories import AppelFactory, CandidatureFactory, StructureFactory
from tests.factories import UtilisateurFactory

P = StatutParticipation
D = datetime.date


def _referents(structure, session_a, session_b, presences):
    """presences : [(présent à la session a ?, présent à la session b ?)] par référent."""
    from accompagnement.models import Emargement, Referent

    for rang, (a, b) in enumerate(presences):
        referent = Referent.objects.create(
            structure=structure, prenom="Réf", nom=f"{structure.pk}-{rang}", email=f"r{rang}@s.test"
        )
        for session, present in ((session_a, a), (session_b, b)):
            if present is not None:
                Emargement.objects.create(session=session, referent=referent, present=present)


def construire():
    from accompagnement.models import Formation, SessionFormation

    appel = AppelFactory(clos=True, slug="appel-du-bilan")
    a = StructureFactory(nom="A — CCAS d'Alpha")
    b = StructureFactory(nom="B — CCAS de Bêta")
    c = StructureFactory(nom="C — non retenue")
    d = StructureFactory(nom="D — sans activité")
    for structure in (a, b, d):
        CandidatureFactory(appel=appel, structure=structure, retenue=True)
    CandidatureFactory(appel=appel, structure=c, non_retenue=True)

    formation = Formation.objects.create(programme=appel.programme, titre="Découvrir")
    formateur = UtilisateurFactory(coach=True)
    s1 = SessionFormation.objects.create(
        formation=formation, date=D(2022, 12, 1), lieu="Lille", formateur=formateur
    )
    s2 = SessionFormation.objects.create(
        formation=formation, date=D(2023, 1, 12), lieu="Lille", formateur=formateur
    )
    # A : r0 présent deux fois, r1 absent, r2 présent une fois → 2 ; B : 1 ; C : 1 (hors cohorte)
    _referents(a, s1, s2, [(True, True), (False, None), (None, True)])
    _referents(b, s1, s2, [(True, False)])
    _referents(c, s1, s2, [(True, None)])

    def ben(structure, code, genre, annee):
        return BeneficiaireFactory(
            structure=structure, code=code, genre=genre, annee_naissance=annee
        )

    a1 = ben(a, "a1", Genre.FEMME, 1960)
    a2 = ben(a, "a2", Genre.FEMME, 1950)
    a3 = ben(a, "a3", Genre.HOMME, 1980)
    a4 = ben(a, "a4", Genre.NON_RENSEIGNE, None)
    ben(a, "a5", Genre.AUTRE, 1990)  # sans participation : ne compte pas

    def action(structure, type_action, debut, fin, heures):
        return ActionFactory(
            structure=structure,
            type=type_action,
            date_debut=debut,
            date_fin=fin,
            duree_heures=Decimal(heures),
            theme=None,
        )

    at1 = action(a, TypeAction.ATELIER, D(2023, 1, 10), None, "2")
    pe1 = action(a, TypeAction.PERMANENCE, D(2023, 2, 5), None, "1")
    po1 = action(a, TypeAction.PARCOURS_ORDINATEUR, D(2022, 12, 1), D(2023, 1, 15), "12")
    pt1 = action(a, TypeAction.PARCOURS_TABLETTE, D(2023, 3, 1), D(2023, 4, 10), "15")
    for act, personne, statut in [
        (at1, a1, P.PRESENT),
        (at1, a4, P.PRESENT),
        (pe1, a3, P.PRESENT),
        (po1, a1, P.COMPLET),
        (po1, a2, P.ABANDON),
        (po1, a3, P.EN_COURS),
        (pt1, a2, P.COMPLET),
    ]:
        ParticipationFactory(action=act, beneficiaire=personne, statut=statut)
    ListeAttenteFactory(structure=a, date=D(2023, 1, 1), nombre=10)
    ListeAttenteFactory(structure=a, date=D(2023, 6, 1), nombre=7)

    b1 = ben(b, "b1", Genre.FEMME, 1945)
    b2 = ben(b, "b2", Genre.HOMME, 2000)
    po2 = action(b, TypeAction.PARCOURS_ORDINATEUR, D(2023, 5, 1), D(2023, 6, 30), "11.5")
    po3 = action(b, TypeAction.PARCOURS_ORDINATEUR, D(2023, 9, 1), D(2023, 10, 1), "13")
    at2 = action(b, TypeAction.ATELIER, D(2023, 5, 3), None, "2")
    for act, personne, statut in [
        (po2, b1, P.COMPLET),
        (po2, b2, P.COMPLET),
        (po3, b1, P.ABANDON),
        (at2, b2, P.PRESENT),
    ]:
        ParticipationFactory(action=act, beneficiaire=personne, statut=statut)

    # C, non retenue : tout ce qui suit doit rester hors du bilan.
    c1 = ben(c, "c1", Genre.HOMME, 1930)
    pc = action(c, TypeAction.PARCOURS_TABLETTE, D(2023, 2, 1), D(2023, 3, 1), "40")
    ParticipationFactory(action=pc, beneficiaire=c1, statut=P.ABANDON)
    ListeAttenteFactory(structure=c, date=D(2023, 6, 1), nombre=500)
    return appel, {"a": a, "b": b, "c": c, "d": d}
