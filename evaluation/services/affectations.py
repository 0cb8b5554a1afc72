"""La répartition des candidatures entre les membres du jury."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext, ngettext

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from evaluation import selectors
from evaluation.enums import ModeAffectation, OrigineAffectation
from evaluation.models import Affectation, ConflitInterets, Evaluation, Jury, MembreJury
from evaluation.services.verrous import verrouiller_appel
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, DonneesRefusees
from noyau.transitions import exiger
from programmes.enums import EtatAppel


def _exclusions(jury, candidatures, membres):
    """Les couples (membre, candidature) à ne jamais affecter automatiquement : conflit
    déclaré, ou conflit suggéré que le membre n'a pas écarté."""
    declarations = {
        (d.membre_id, d.candidature_id): d.en_conflit
        for d in ConflitInterets.objects.filter(membre__jury=jury)
    }
    exclus = set()
    for membre in membres:
        for candidature in candidatures:
            declaration = declarations.get((membre.pk, candidature.pk))
            if declaration is True or (
                declaration is None and selectors.est_conflit_suggere(membre, candidature)
            ):
                exclus.add((membre.pk, candidature.pk))
    return exclus


def repartition_equilibree(membres, candidatures, *, par_candidature, exclus, gardees=()):
    """{id de candidature: [ids de membres]} : `par_candidature` membres par candidature en
    comptant les couples (membre, candidature) `gardees` (déjà notés, ils restent), jamais un
    couple exclu, la charge la plus égale possible entre membres, charges gardées comprises.

    Glouton déterministe : les candidatures les plus contraintes d'abord (le moins de membres
    possibles au regard des places à pourvoir), puis par id ; pour chacune, les membres les
    moins chargés, départagés par une rotation qui évite de réunir toujours les mêmes. Puis
    des déplacements d'une affectation nouvelle du membre le plus chargé vers un membre
    moins chargé d'au moins deux, tant qu'il en existe : sans exclusion ni couple gardé,
    l'écart de charge entre membres ne dépasse jamais 1. Une candidature qui n'a pas assez
    de membres possibles en reçoit moins (voir `candidatures_sous_couvertes`).
    """
    ids_membres = sorted(m.pk for m in membres)
    nombre_membres = len(ids_membres)
    rang_membre = {m: rang for rang, m in enumerate(ids_membres)}
    charge = dict.fromkeys(ids_membres, 0)
    deja = {}
    for id_membre, id_candidature in gardees:
        deja.setdefault(id_candidature, []).append(id_membre)
        if id_membre in charge:
            charge[id_membre] += 1
    possibles = {
        c.pk: [m for m in ids_membres if (m, c.pk) not in exclus and m not in deja.get(c.pk, ())]
        for c in candidatures
    }
    manque = {c.pk: max(0, par_candidature - len(deja.get(c.pk, ()))) for c in candidatures}
    ordre = sorted(possibles, key=lambda c: (len(possibles[c]) - manque[c], c))
    nouvelles = {}
    for rang, id_candidature in enumerate(ordre):
        candidats = sorted(
            possibles[id_candidature],
            key=lambda m: (charge[m], (rang_membre[m] - rang) % nombre_membres),
        )
        choisis = candidats[: manque[id_candidature]]
        for m in choisis:
            charge[m] += 1
        nouvelles[id_candidature] = set(choisis)

    # Rééquilibrage : tant qu'un membre a au moins deux affectations de plus qu'un autre et
    # qu'une chaîne de cessions les relie (A cède une candidature nouvelle à B, qui peut la
    # prendre, B en cède une à C...), la chaîne est appliquée : A perd une affectation, C en
    # gagne une, les autres gardent leur charge. Chaque chaîne réduit la somme des carrés des
    # charges : la boucle finit, et sans chaîne possible les charges sont les plus égales
    # que permettent les exclusions et les affectations gardées.
    def chaine_depuis(depart):
        precedent = {depart: None}
        file = [depart]
        for membre in file:
            for id_candidature in ordre:
                choisis = nouvelles[id_candidature]
                if membre not in choisis:
                    continue
                for suivant in possibles[id_candidature]:
                    if suivant in precedent or suivant in choisis:
                        continue
                    precedent[suivant] = (membre, id_candidature)
                    if charge[suivant] <= charge[depart] - 2:
                        cessions = []
                        while precedent[suivant] is not None:
                            cedant, id_cedee = precedent[suivant]
                            cessions.append((cedant, suivant, id_cedee))
                            suivant = cedant
                        return cessions
                    file.append(suivant)
        return None

    while True:
        for lourd in sorted(ids_membres, key=lambda m: (-charge[m], rang_membre[m])):
            cessions = chaine_depuis(lourd)
            if cessions:
                break
        else:
            break
        for cedant, preneur, id_candidature in cessions:
            nouvelles[id_candidature].remove(cedant)
            nouvelles[id_candidature].add(preneur)
        charge[lourd] -= 1
        charge[cessions[0][1]] += 1
    return {c.pk: sorted([*deja.get(c.pk, ()), *nouvelles[c.pk]]) for c in candidatures}


def _affectations_sans_evaluation(jury):
    return Affectation.objects.filter(membre__jury=jury, evaluation__isnull=True)


@dataclass(frozen=True)
class Repartition:
    """Ce que `affecter` a fait : `candidatures`, {id de candidature: [ids de membres]}
    réparti, affectations déjà notées comprises ; `gardees`, les affectations déjà notées
    au-delà du nombre de membres voulu pour leur candidature (les premières notées comptent
    d'abord), qui restent parce que le membre y a commencé à noter ; `sous_couvertes`, les
    candidatures qui n'ont pas leur nombre de membres faute de membres sans conflit :
    (candidature, nombre obtenu, nombre voulu)."""

    candidatures: dict
    gardees: tuple
    sous_couvertes: tuple = ()


def _exiger_etape_des_affectations(appel):
    """Les affectations changent une fois l'appel clos, jusqu'à la délibération ; l'étape est
    celle relue sous le verrou de l'appel."""
    if appel.etat not in (EtatAppel.CLOS, EtatAppel.EN_EVALUATION):
        raise ActionImpossible(
            gettext("Les candidatures s'affectent une fois l'appel clos, avant la délibération.")
        )


def affecter(jury, *, par, mode, par_candidature=None):
    """Affecte les candidatures recevables : à tous les membres (`tous`) ou, en
    `automatique`, à `par_candidature` membres chacune par la répartition équilibrée.

    Les affectations déjà notées restent et comptent : en automatique, chaque candidature
    reçoit ce qui lui manque pour atteindre `par_candidature`, et les charges s'égalisent en
    comptant ce que chaque membre a déjà noté ; les affectations sans note sont refaites.
    Celles notées au-delà du nombre voulu sont rendues dans `gardees` ; les candidatures
    qui n'ont pas assez de membres sans conflit, dans `sous_couvertes`. Le verrou de
    l'appel, pris d'abord comme par les notes, attend celles en cours d'écriture, et tout se
    relit après lui : une première note passe avant (son affectation reste et compte) ou
    après (elle trouve la nouvelle répartition). Journalise « affectations réparties » avec
    la charge de chacun, les affectations gardées et les candidatures sous-couvertes.
    Renvoie une `Repartition`.
    """
    exiger(par, "evaluation.gerer_jury", jury.appel)
    with transaction.atomic():
        appel = verrouiller_appel(jury.appel_id)
        jury = Jury.objects.select_for_update(of=("self",)).get(pk=jury.pk)
        jury.appel = appel
        _exiger_etape_des_affectations(appel)
        membres = list(jury.membres.select_related("utilisateur"))
        candidatures = list(
            Candidature.objects.filter(appel=appel, etat=EtatCandidature.RECEVABLE)
            .select_related("structure")
            .order_by("pk")
        )
        if not membres:
            raise ActionImpossible(gettext("Le jury n'a encore aucun membre."))
        if not candidatures:
            raise ActionImpossible(gettext("Aucune candidature recevable à affecter."))
        exclus = _exclusions(jury, candidatures, membres)
        # Les premières notées d'abord : ce sont elles qui comptent dans le nombre voulu.
        notees = list(
            Affectation.objects.filter(membre__jury=jury, evaluation__isnull=False)
            .select_related("membre__utilisateur", "candidature__structure")
            .order_by("evaluation__pk")
        )
        deja = {(a.membre_id, a.candidature_id) for a in notees}
        if mode == ModeAffectation.AUTOMATIQUE:
            par_candidature = par_candidature or jury.membres_par_candidature
            if par_candidature > len(membres):
                raise DonneesRefusees(
                    ngettext(
                        "Le jury compte %(nombre)s membre : "
                        "impossible d'en affecter %(par_candidature)s par candidature.",
                        "Le jury compte %(nombre)s membres : "
                        "impossible d'en affecter %(par_candidature)s par candidature.",
                        len(membres),
                    )
                    % {"nombre": len(membres), "par_candidature": par_candidature}
                )
            ids_recevables = {c.pk for c in candidatures}
            repartition = repartition_equilibree(
                membres,
                candidatures,
                par_candidature=par_candidature,
                exclus=exclus,
                gardees=[(m, c) for m, c in deja if c in ids_recevables],
            )
            comptees = {}
            gardees = []
            for a in notees:
                comptees[a.candidature_id] = comptees.get(a.candidature_id, 0) + 1
                if comptees[a.candidature_id] > par_candidature:
                    gardees.append(a)
            sous_couvertes = tuple(
                (c, len(repartition[c.pk]), par_candidature)
                for c in sorted(candidatures, key=lambda c: (c.structure.nom, c.pk))
                if len(repartition[c.pk]) < par_candidature
            )
        else:
            repartition = {
                c.pk: [m.pk for m in membres if (m.pk, c.pk) not in exclus] for c in candidatures
            }
            voulues = {(m, c) for c, ids in repartition.items() for m in ids}
            gardees = [a for a in notees if (a.membre_id, a.candidature_id) not in voulues]
            sous_couvertes = ()
        gardees = tuple(
            sorted(gardees, key=lambda a: (a.candidature.structure.nom, a.membre.email))
        )
        _affectations_sans_evaluation(jury).delete()
        origine = (
            OrigineAffectation.AUTOMATIQUE
            if mode == ModeAffectation.AUTOMATIQUE
            else OrigineAffectation.MANUELLE
        )
        Affectation.objects.bulk_create(
            Affectation(membre_id=m, candidature_id=c, origine=origine)
            for c, ids in repartition.items()
            for m in ids
            if (m, c) not in deja
        )
        jury.mode_affectation = mode
        update = ["mode_affectation"]
        if par_candidature and mode == ModeAffectation.AUTOMATIQUE:
            jury.membres_par_candidature = par_candidature
            update.append("membres_par_candidature")
        jury.save(update_fields=update)
        charges = {str(m.pk): 0 for m in membres}
        for membre_id in Affectation.objects.filter(membre__jury=jury).values_list(
            "membre_id", flat=True
        ):
            charges[str(membre_id)] += 1
        journaliser(
            TypeEvenement.AFFECTATIONS_REPARTIES,
            cible=appel,
            acteur=par,
            donnees={
                "mode": mode,
                "par_candidature": par_candidature,
                "charges": charges,
                "gardees": [[a.membre_id, a.candidature_id] for a in gardees],
                "sous_couvertes": [[c.pk, obtenus] for c, obtenus, _ in sous_couvertes],
            },
        )
    return Repartition(candidatures=repartition, gardees=gardees, sous_couvertes=sous_couvertes)


def affecter_a_la_main(membre, candidature, *, par):
    """Ajoute une affectation ; refusée si le membre a déclaré un conflit. Journalisé."""
    exiger(par, "evaluation.gerer_jury", candidature.appel)
    with transaction.atomic():
        appel = verrouiller_appel(candidature.appel_id)
        _exiger_etape_des_affectations(appel)
        membre = MembreJury.objects.select_for_update().get(pk=membre.pk)
        candidature = Candidature.objects.select_related("structure").get(pk=candidature.pk)
        if membre.jury.appel_id != candidature.appel_id:
            raise DonneesRefusees(gettext("Ce membre ne fait pas partie du jury de cet appel."))
        if candidature.etat != EtatCandidature.RECEVABLE:
            raise ActionImpossible(gettext("Seule une candidature recevable s'affecte au jury."))
        if ConflitInterets.objects.filter(
            membre=membre, candidature=candidature, en_conflit=True
        ).exists():
            raise ActionImpossible(
                gettext("%(membre)s a déclaré un conflit d'intérêts avec %(nom)s.")
                % {"membre": membre, "nom": candidature.structure.nom}
            )
        affectation, cree = Affectation.objects.get_or_create(
            membre=membre, candidature=candidature
        )
        if cree:
            journaliser(
                TypeEvenement.AFFECTATION_AJOUTEE,
                cible=candidature,
                acteur=par,
                donnees={"membre": membre.pk},
            )
    return affectation


def retirer_affectation(affectation, *, par):
    """Retire une affectation qui ne porte encore aucune note. Journalisé."""
    exiger(par, "evaluation.gerer_jury", affectation.candidature.appel)
    with transaction.atomic():
        appel = verrouiller_appel(affectation.candidature.appel_id)
        _exiger_etape_des_affectations(appel)
        affectation = Affectation.objects.select_for_update().get(pk=affectation.pk)
        if Evaluation.objects.filter(affectation=affectation).exists():
            raise ActionImpossible(
                gettext(
                    "Ce membre a déjà commencé à noter cette candidature : l'affectation reste."
                )
            )
        journaliser(
            TypeEvenement.AFFECTATION_RETIREE,
            cible=affectation.candidature,
            acteur=par,
            donnees={"membre": affectation.membre_id},
        )
        affectation.delete()
