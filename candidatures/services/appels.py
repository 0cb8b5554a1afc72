"""La vie d'un appel : création, modification, publication, clôture (par un gestionnaire ou
à la date limite), réouverture, copie pour l'édition suivante.

Chaque changement d'état passe par `noyau.transitions.appliquer_transition` (verrou, règle,
état, journal) ; les refus gardent leurs messages en français."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from candidatures import notifications
from candidatures.erreurs import AppelNonPubliable
from candidatures.services.communs import est_obligatoire, refus_d_etat
from crochets.evenements import CodeEvenement
from crochets.services import signaler
from journal.enums import TypeEvenement
from journal.selectors import derniere_transition
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, DonneesRefusees
from noyau.transitions import (
    appliquer_transition,
    exiger,
    exiger_transition,
    motif_obligatoire,
    verrouiller,
)
from programmes.enums import EtatAppel
from programmes.models import Appel, PieceDemandee, Question


def slug_libre(base, *, sauf=None):
    base = slugify(base)[:90] or "appel"
    slug, numero = base, 2
    while Appel.objects.filter(slug=slug).exclude(pk=sauf).exists():
        slug = f"{base}-{numero}"
        numero += 1
    return slug


def creer_appel(*, programme, par, titre, **champs):
    """Crée un appel en brouillon dans le programme, son adresse publique tirée du titre.
    Journalise « appel créé »."""
    exiger(par, "candidatures.creer_appel", programme)
    with transaction.atomic():
        champs["slug"] = champs.get("slug") or slug_libre(titre)
        appel = Appel.objects.create(programme=programme, titre=titre, **champs)
        journaliser(TypeEvenement.APPEL_CREE, cible=appel, acteur=par)
    return appel


def modifier_appel(appel, *, par, champs):
    """Met à jour titre, description, dates ou places (brouillon ou ouvert) ; l'adresse publique
    d'un brouillon suit son titre. Journalisé avec la liste des champs changés."""
    with transaction.atomic():
        appel = Appel.objects.select_for_update().get(pk=appel.pk)
        exiger(
            par,
            "candidatures.modifier_appel",
            appel,
            _("Cet appel ne se modifie plus : il est %(etat)s.")
            % {"etat": appel.get_etat_display().lower()},
        )
        champs = dict(champs)
        if appel.etat == EtatAppel.BROUILLON and champs.get("titre", appel.titre) != appel.titre:
            # Rien n'a encore été diffusé : l'adresse publique suit le titre. Publié, l'appel
            # garde la sienne, déjà partagée.
            champs["slug"] = slug_libre(champs["titre"], sauf=appel.pk)
        changes = sorted(nom for nom, valeur in champs.items() if getattr(appel, nom) != valeur)
        for nom, valeur in champs.items():
            setattr(appel, nom, valeur)
        # L'état ne change que par ses transitions : `full_clean` le réécrirait, ce que le
        # champ protégé refuse.
        appel.full_clean(exclude=["programme", "etat"])
        appel.save(update_fields=[*changes, "modifie_le"] if changes else ["modifie_le"])
        if changes:
            journaliser(
                TypeEvenement.APPEL_MODIFIE, cible=appel, acteur=par, donnees={"champs": changes}
            )
    return appel


def publier_appel(appel, *, par):
    """brouillon → ouvert, si dates, questions et règles sont prêtes. Journalisé."""
    action = _("publier l'appel")
    with transaction.atomic():
        appel = verrouiller(appel)
        # Droit et état d'abord, puis les conditions propres : les refus gardent leur ordre.
        exiger_transition(appel, "publier", par=par, refus_etat=refus_d_etat(action))
        manques = appel.manques_pour_publier()
        if manques:
            raise AppelNonPubliable(manques)
        appel = appliquer_transition(
            appel,
            "publier",
            par=par,
            motif="Publication",
            refus_etat=refus_d_etat(action),
            action=action,
            verrou=False,
        )
        signaler(CodeEvenement.APPEL_PUBLIE, appel)
        return appel


def clore_appel(appel, *, par=None, motif=""):
    """ouvert → clos : plus aucun dépôt. `par=None` : la tâche périodique, à la date limite."""
    action = _("clore l'appel")
    with transaction.atomic():
        appel = appliquer_transition(
            appel,
            "clore",
            par=par,
            motif=motif or "Clôture par un gestionnaire",
            refus_etat=refus_d_etat(action),
            action=action,
        )
        signaler(CodeEvenement.APPEL_CLOS, appel)
    return appel


def refus_de_reouverture(appel):
    """Le refus (409) de rouvrir un appel qui n'est pas clos ; la vue le montre aussi avant le
    formulaire."""
    return ActionImpossible(
        _(
            "Impossible de rouvrir l'appel : seul un appel clos dont l'évaluation n'a "
            "pas commencé se rouvre, et celui-ci est « %(etat)s »."
        )
        % {"etat": appel.get_etat_display()}
    )


def rouvrir_appel(appel, *, par, date_limite, motif):
    """clos → ouvert jusqu'à `date_limite` (à venir) : les structures déposent de nouveau. Le
    motif est obligatoire. Refusé une fois l'évaluation lancée (l'appel n'est plus clos).
    Journalisé (acteur, motif). Les structures qui ont un brouillon sur
    l'appel en sont prévenues par courriel, au commit ; leur nombre est rendu dans
    `appel.structures_prevenues`."""
    motif = motif_obligatoire(motif, est_obligatoire(_("Le motif de la réouverture")))
    with transaction.atomic():
        appel = verrouiller(appel)
        # Droit et état d'abord, puis les conditions propres : les refus gardent leur ordre.
        exiger_transition(appel, "rouvrir", par=par, refus_etat=refus_de_reouverture)
        if date_limite <= timezone.now():
            raise DonneesRefusees(_("La nouvelle date limite doit être à venir."))
        if appel.ouverture is not None and date_limite <= appel.ouverture:
            raise DonneesRefusees(_("La nouvelle date limite doit venir après l'ouverture."))
        appel = appliquer_transition(
            appel,
            "rouvrir",
            par=par,
            motif=motif,
            refus_etat=refus_de_reouverture,
            action=_("rouvrir l'appel"),
            verrou=False,
            date_limite=date_limite,
        )
        reouverture = derniere_transition(appel, "rouvrir")
        appel.structures_prevenues = notifications.appel_rouvert(appel, reouverture=reouverture)
    return appel


def clore_appels_echus(*, maintenant=None):
    """Clôt chaque appel ouvert dont la date limite est passée ; renvoie leur nombre.

    Les lignes déjà verrouillées par une autre exécution sont sautées, celles déjà closes ne
    sont plus sélectionnées : lancer la tâche deux fois ne fait rien de plus.
    """
    maintenant = maintenant or timezone.now()
    nombre = 0
    with transaction.atomic():
        echus = Appel.objects.select_for_update(skip_locked=True).filter(
            etat=EtatAppel.OUVERT, date_limite__lte=maintenant
        )
        for appel in echus:
            appliquer_transition(
                appel,
                "clore",
                par=None,
                motif="Date limite atteinte : clôture automatique",
                verrou=False,
            )
            signaler(CodeEvenement.APPEL_CLOS, appel)
            nombre += 1
    return nombre


def _recopier_les_conditions(originales, copies):
    """Une question conditionnelle de la copie dépend de la copie de sa condition, jamais
    d'une question de l'appel d'origine."""
    copie_de = {originale.pk: copie for originale, copie in zip(originales, copies, strict=True)}
    conditionnelles = []
    for originale, copie in zip(originales, copies, strict=True):
        if originale.condition_id in copie_de:
            copie.condition = copie_de[originale.condition_id]
            conditionnelles.append(copie)
    Question.objects.bulk_update(conditionnelles, ["condition"])


def dupliquer_appel(appel, *, par):
    """Crée en brouillon la copie d'un appel (texte, places, règles, questions, pièces), sans
    dates ni candidatures, pour préparer l'édition suivante. Les règles sont à revérifier."""
    exiger(par, "candidatures.gerer_appel", appel)
    with transaction.atomic():
        copie = Appel.objects.create(
            programme=appel.programme,
            titre=f"{appel.titre} (copie)",
            slug=slug_libre(f"{appel.slug}-copie"),
            description=appel.description,
            nombre_places=appel.nombre_places,
            copie_de=appel,
            perimetre_epci=list(appel.perimetre_epci),
            perimetre_departements=list(appel.perimetre_departements),
            seuil_population=appel.seuil_population,
            type_population=appel.type_population,
            version_qpv=appel.version_qpv,
            qpv_intercommunal=appel.qpv_intercommunal,
            types_structure=list(appel.types_structure),
        )
        originales = list(appel.questions.all())
        copies = Question.objects.bulk_create(
            Question(
                appel=copie,
                ordre=question.ordre,
                type=question.type,
                libelle=question.libelle,
                aide=question.aide,
                obligatoire=question.obligatoire,
                limite_caracteres=question.limite_caracteres,
                choix=list(question.choix),
                condition_valeur=question.condition_valeur,
            )
            for question in originales
        )
        _recopier_les_conditions(originales, copies)
        PieceDemandee.objects.bulk_create(
            PieceDemandee(
                appel=copie,
                ordre=piece.ordre,
                libelle=piece.libelle,
                aide=piece.aide,
                obligatoire=piece.obligatoire,
            )
            for piece in appel.pieces_demandees.all()
        )
        journaliser(
            TypeEvenement.APPEL_DUPLIQUE,
            cible=copie,
            acteur=par,
            motif=f"Copie de « {appel.titre} »",
            donnees={"appel_d_origine": appel.pk},
        )
    return copie
