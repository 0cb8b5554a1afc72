"""Les écritures des appels, des structures et des candidatures.

Chaque service de transition : relit la ligne sous verrou (`select_for_update`), vérifie la
permission (la règle django-rules de la transition), appelle la transition (django-fsm-log
journalise l'acteur et le motif), enregistre les seuls champs touchés et met les courriels
dans la boîte d'envoi, partis au commit. Les refus lèvent une erreur de `noyau.erreurs`
avec un message en français ; rien n'est écrit à moitié.
"""

from contextlib import contextmanager
from pathlib import PurePosixPath

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed, can_proceed

from candidatures import notifications
from candidatures.enums import EtatAppel, EtatCandidature, TypeQuestion
from candidatures.erreurs import (
    AppelNonPubliable,
    CandidatureIncomplete,
    DateLimiteDepassee,
)
from candidatures.models import (
    Appel,
    Candidature,
    InvitationStructure,
    MembreStructure,
    PieceDemandee,
    PieceJointe,
    Question,
    Structure,
)
from journal.enums import TypeEvenement
from journal.selectors import derniere_transition
from journal.services import journaliser
from noyau.erreurs import (
    ActionImpossible,
    ActionNonPermise,
    DonneesRefusees,
)
from noyau.fichiers import verifier_fichier
from noyau.perimetre import oublier_droits_en_cache
from noyau.roles import Role
from territoires.enums import ResultatEligibilite

REFUS_PAR_DEFAUT = gettext_lazy("Votre compte ne permet pas cette action.")


def _exiger(utilisateur, permission, objet, message=REFUS_PAR_DEFAUT):
    if not utilisateur.has_perm(permission, objet):
        raise ActionNonPermise(str(message))


def _quand(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _exiger_etat(objet, transition, action):
    """Refuse une transition que l'état actuel ne permet pas (souvent : déjà faite)."""
    if not can_proceed(getattr(objet, transition), check_conditions=False):
        if isinstance(objet, Appel):
            # Translators: action is a verb phrase such as « publier l'appel ».
            message = _(
                "Impossible de %(action)s : l'appel est à l'état « %(etat)s ». L'action a "
                "peut-être déjà été faite."
            )
        else:
            message = _(
                "Impossible de %(action)s : la candidature est à l'état « %(etat)s ». L'action "
                "a peut-être déjà été faite."
            )
        raise ActionImpossible(message % {"action": action, "etat": objet.get_etat_display()})


@contextmanager
def _sans_refus_brut(action):
    """Les conditions d'une transition sont vérifiées avant, avec un message précis ; si l'une
    change entre-temps (la date limite tombe pendant le dépôt), le refus reste lisible."""
    try:
        yield
    except TransitionNotAllowed as refus:
        raise ActionImpossible(
            _(
                "Impossible de %(action)s : les conditions ne sont plus réunies. Rechargez la "
                "page pour voir l'état à jour."
            )
            % {"action": action}
        ) from refus


def _motif_obligatoire(motif, libelle):
    motif = (motif or "").strip()
    if not motif:
        raise DonneesRefusees(_("%(libelle)s est obligatoire.") % {"libelle": libelle})
    return motif


# --- Appels --------------------------------------------------------------------------------


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
    _exiger(par, "candidatures.creer_appel", programme)
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
        _exiger(
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


def enregistrer_regles(appel, *, par, regles):
    """Enregistre les règles d'éligibilité et note qu'elles ont été vérifiées (condition de la
    publication). Brouillon seulement : les candidatures déposées ont été jugées sur les
    règles d'origine."""
    with transaction.atomic():
        appel = Appel.objects.select_for_update().get(pk=appel.pk)
        _exiger(
            par,
            "candidatures.modifier_formulaire_appel",
            appel,
            _("Les règles d'un appel publié ne changent plus."),
        )
        for nom, valeur in regles.items():
            setattr(appel, nom, valeur)
        appel.regles_verifiees_le = timezone.now()
        appel.save(update_fields=[*regles, "regles_verifiees_le", "modifie_le"])
        journaliser(
            TypeEvenement.REGLES_APPEL_VERIFIEES,
            cible=appel,
            acteur=par,
            donnees={nom: valeur for nom, valeur in regles.items()},
        )
    return appel


def enregistrer_formulaire_appel(appel, *, par, formsets):
    """Enregistre les formsets (questions, pièces demandées) d'un appel en brouillon et
    renumérote l'ordre de 1 à n. Journalise « questions et pièces modifiées »."""
    with transaction.atomic():
        appel = Appel.objects.select_for_update().get(pk=appel.pk)
        _exiger(
            par,
            "candidatures.modifier_formulaire_appel",
            appel,
            _("Les questions d'un appel publié ne changent plus : des structures y répondent."),
        )
        for formset in formsets:
            formset.instance = appel
            # Une question ajoutée prend la dernière place ; l'ordre se change ensuite par
            # `deplacer_dans_le_formulaire`.
            derniere = max((e.ordre for e in formset.model.objects.filter(appel=appel)), default=0)
            nouveaux = formset.save(commit=False)
            for objet in nouveaux:
                if objet.pk is None:
                    derniere += 1
                    objet.ordre = derniere
            formset.save()
        for modele in (Question, PieceDemandee):
            _renumeroter(list(modele.objects.filter(appel=appel).order_by("ordre", "pk")))
        journaliser(TypeEvenement.FORMULAIRE_APPEL_MODIFIE, cible=appel, acteur=par)
    return appel


def _renumeroter(elements):
    for rang, element in enumerate(elements, start=1):
        element.ordre = rang
    if elements:
        type(elements[0]).objects.bulk_update(elements, ["ordre"])


def deplacer_dans_le_formulaire(appel, *, par, element, sens):
    """Échange une question (ou une pièce demandée) d'un appel en brouillon avec sa voisine
    du dessus (`sens="monter"`) ou du dessous (`"descendre"`), puis renumérote de 1 à n.
    Journalise « questions et pièces modifiées » avec l'élément, le sens et son nouveau rang."""
    nature = "question" if isinstance(element, Question) else "piece"
    with transaction.atomic():
        appel = Appel.objects.select_for_update().get(pk=appel.pk)
        _exiger(
            par,
            "candidatures.modifier_formulaire_appel",
            appel,
            _("Les questions d'un appel publié ne changent plus : des structures y répondent."),
        )
        elements = list(type(element).objects.filter(appel=appel).order_by("ordre", "pk"))
        rang = next(i for i, e in enumerate(elements) if e.pk == element.pk)
        voisin = rang - 1 if sens == "monter" else rang + 1
        if not 0 <= voisin < len(elements):
            if nature == "question":
                message = (
                    _("« %(libelle)s » est déjà la première question.")
                    if sens == "monter"
                    else _("« %(libelle)s » est déjà la dernière question.")
                )
            else:
                message = (
                    _("« %(libelle)s » est déjà la première pièce.")
                    if sens == "monter"
                    else _("« %(libelle)s » est déjà la dernière pièce.")
                )
            raise ActionImpossible(message % {"libelle": element.libelle})
        elements[rang], elements[voisin] = elements[voisin], elements[rang]
        _renumeroter(elements)
        journaliser(
            TypeEvenement.FORMULAIRE_APPEL_MODIFIE,
            cible=appel,
            acteur=par,
            donnees={nature: element.libelle, "deplacement": sens, "rang": voisin + 1},
        )
    return appel


def publier_appel(appel, *, par):
    """brouillon → ouvert, si dates, questions et règles sont prêtes. Journalisé."""
    with transaction.atomic():
        appel = Appel.objects.select_for_update().get(pk=appel.pk)
        _exiger(par, "candidatures.gerer_appel", appel)
        _exiger_etat(appel, "publier", _("publier l'appel"))
        manques = appel.manques_pour_publier()
        if manques:
            raise AppelNonPubliable(manques)
        with _sans_refus_brut(_("publier l'appel")):
            appel.publier(by=par, description="Publication")
        appel.save(update_fields=["etat", "publie_le", "modifie_le"])
    return appel


def clore_appel(appel, *, par=None, motif=""):
    """ouvert → clos : plus aucun dépôt. `par=None` : la tâche périodique, à la date limite."""
    with transaction.atomic():
        appel = Appel.objects.select_for_update().get(pk=appel.pk)
        if par is not None:
            _exiger(par, "candidatures.gerer_appel", appel)
        _exiger_etat(appel, "clore", _("clore l'appel"))
        with _sans_refus_brut(_("clore l'appel")):
            appel.clore(by=par, description=motif or "Clôture par un gestionnaire")
        appel.save(update_fields=["etat", "clos_le", "modifie_le"])
    return appel


def rouvrir_appel(appel, *, par, date_limite, motif):
    """clos → ouvert jusqu'à `date_limite` (à venir) : les structures déposent de nouveau. Le
    motif est obligatoire. Refusé une fois l'évaluation lancée (l'appel n'est plus clos).
    Journalisé par django-fsm-log (acteur, motif). Les structures qui ont un brouillon sur
    l'appel en sont prévenues par courriel, au commit ; leur nombre est rendu dans
    `appel.structures_prevenues`."""
    motif = _motif_obligatoire(motif, _("Le motif de la réouverture"))
    with transaction.atomic():
        appel = Appel.objects.select_for_update().get(pk=appel.pk)
        _exiger(par, "candidatures.gerer_appel", appel)
        if appel.etat != EtatAppel.CLOS:
            raise ActionImpossible(
                _(
                    "Impossible de rouvrir l'appel : seul un appel clos dont l'évaluation n'a "
                    "pas commencé se rouvre, et celui-ci est « %(etat)s »."
                )
                % {"etat": appel.get_etat_display()}
            )
        if date_limite <= timezone.now():
            raise DonneesRefusees(_("La nouvelle date limite doit être à venir."))
        if appel.ouverture is not None and date_limite <= appel.ouverture:
            raise DonneesRefusees(_("La nouvelle date limite doit venir après l'ouverture."))
        with _sans_refus_brut(_("rouvrir l'appel")):
            appel.rouvrir(date_limite=date_limite, by=par, description=motif)
        appel.save(update_fields=["etat", "date_limite", "clos_le", "modifie_le"])
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
            appel.clore(description="Date limite atteinte : clôture automatique")
            appel.save(update_fields=["etat", "clos_le", "modifie_le"])
            nombre += 1
    return nombre


def dupliquer_appel(appel, *, par):
    """Crée en brouillon la copie d'un appel (texte, places, règles, questions, pièces), sans
    dates ni candidatures, pour préparer l'édition suivante. Les règles sont à revérifier."""
    _exiger(par, "candidatures.gerer_appel", appel)
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
        Question.objects.bulk_create(
            Question(
                appel=copie,
                ordre=question.ordre,
                type=question.type,
                libelle=question.libelle,
                aide=question.aide,
                obligatoire=question.obligatoire,
                limite_caracteres=question.limite_caracteres,
                choix=list(question.choix),
            )
            for question in appel.questions.all()
        )
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


# --- Structures ----------------------------------------------------------------------------


def creer_structure(*, par, **champs):
    """Crée le profil d'une structure ; son auteur en devient membre responsable. Journalisé."""
    _exiger(par, "candidatures.creer_structure", None)
    with transaction.atomic():
        structure = Structure(**champs)
        structure.full_clean()
        structure.save()
        MembreStructure.objects.create(structure=structure, utilisateur=par, est_responsable=True)
        journaliser(TypeEvenement.STRUCTURE_CREEE, cible=structure, acteur=par)
    oublier_droits_en_cache(par)
    return structure


def modifier_structure(structure, *, par, champs):
    with transaction.atomic():
        structure = Structure.objects.select_for_update().get(pk=structure.pk)
        _exiger(par, "candidatures.modifier_structure", structure)
        changes = sorted(nom for nom, valeur in champs.items() if getattr(structure, nom) != valeur)
        for nom, valeur in champs.items():
            setattr(structure, nom, valeur)
        structure.full_clean()
        structure.save()
        if changes:
            journaliser(
                TypeEvenement.STRUCTURE_MODIFIEE,
                cible=structure,
                acteur=par,
                donnees={"champs": changes},
            )
    return structure


def inviter_dans_structure(structure, *, email, par):
    """Crée une invitation à usage unique et met le courriel qui la porte dans la boîte
    d'envoi. Par une personne responsable de la structure, ou un gestionnaire d'un programme
    où elle a candidaté. Journalisé. Renvoie (invitation, jeton en clair)."""
    _exiger(
        par,
        "candidatures.inviter_dans_structure",
        structure,
        _(
            "Seule une personne responsable de la structure, ou le gestionnaire d'un programme "
            "auquel elle a candidaté, y invite quelqu'un."
        ),
    )
    email = get_user_model().objects.normalize_email(email).lower()
    if structure.membres.filter(email__iexact=email).exists():
        raise DonneesRefusees(
            _("%(email)s agit déjà pour %(nom)s.") % {"email": email, "nom": structure.nom}
        )
    jeton, empreinte = InvitationStructure.nouveau_jeton()
    with transaction.atomic():
        invitation = InvitationStructure.objects.create(
            structure=structure,
            email=email,
            empreinte_jeton=empreinte,
            invitee_par=par,
            expire_le=timezone.now() + timezone.timedelta(days=settings.INVITATION_DUREE_JOURS),
        )
        journaliser(TypeEvenement.MEMBRE_STRUCTURE_INVITE, cible=structure, acteur=par, motif=email)
        notifications.invitation_dans_structure(invitation, jeton)
    return invitation, jeton


def trouver_invitation_structure(jeton):
    invitation = InvitationStructure.objects.par_jeton(jeton).select_related("structure").first()
    if invitation is None:
        raise ActionImpossible(_("Ce lien d'invitation n'est pas valable."))
    if invitation.est_acceptee:
        raise ActionImpossible(
            _("Cette invitation a déjà servi. Connectez-vous avec le compte qui l'a acceptée.")
        )
    if invitation.est_expiree():
        raise ActionImpossible(
            _("Cette invitation a expiré : demandez-en une nouvelle à votre collègue.")
        )
    return invitation


def accepter_invitation_structure(jeton, *, utilisateur=None, prenom="", nom="", mot_de_passe=""):
    """Rattache à la structure le compte connecté, ou crée le compte de la personne invitée
    (adresse vérifiée par le lien reçu, rôle « structure candidate »). Une structure sans
    personne responsable (son seul compte supprimé) en trouve une : la personne qui arrive.
    Journalisé."""
    Utilisateur = get_user_model()
    with transaction.atomic():
        invitation = trouver_invitation_structure(jeton)
        invitation = InvitationStructure.objects.select_for_update().get(pk=invitation.pk)
        if invitation.est_acceptee:
            raise ActionImpossible(_("Cette invitation a déjà servi."))
        if utilisateur is None:
            if Utilisateur.objects.filter(email__iexact=invitation.email).exists():
                raise ActionImpossible(
                    _(
                        "Un compte existe déjà pour cette adresse : connectez-vous, puis "
                        "rouvrez le lien de l'invitation."
                    )
                )
            utilisateur = Utilisateur.objects.create_user(
                email=invitation.email, password=mot_de_passe, first_name=prenom, last_name=nom
            )
            EmailAddress.objects.create(
                user=utilisateur, email=invitation.email, verified=True, primary=True
            )
        elif utilisateur.email.lower() != invitation.email.lower():
            raise ActionNonPermise(
                _(
                    "Cette invitation est adressée à %(email)s : connectez-vous avec ce compte "
                    "pour l'accepter."
                )
                % {"email": invitation.email}
            )
        utilisateur.groups.add(Group.objects.get_or_create(name=Role.CANDIDAT)[0])
        sans_responsable = not MembreStructure.objects.filter(
            structure=invitation.structure, est_responsable=True
        ).exists()
        MembreStructure.objects.get_or_create(
            structure=invitation.structure,
            utilisateur=utilisateur,
            defaults={"est_responsable": sans_responsable},
        )
        invitation.acceptee_le = timezone.now()
        invitation.acceptee_par = utilisateur
        invitation.save(update_fields=["acceptee_le", "acceptee_par"])
        journaliser(
            TypeEvenement.MEMBRE_STRUCTURE_AJOUTE,
            cible=invitation.structure,
            acteur=utilisateur,
            motif=utilisateur.email,
        )
    oublier_droits_en_cache(utilisateur)
    return utilisateur, invitation.structure


# --- Candidatures : brouillon --------------------------------------------------------------


def _verrouiller(candidature):
    return (
        Candidature.objects.select_for_update(of=("self",))
        .select_related("appel", "structure__commune")
        .get(pk=candidature.pk)
    )


def commencer_candidature(appel, structure, *, par):
    """Ouvre le brouillon de la structure pour cet appel, ou renvoie celui qui existe.
    Renvoie (candidature, créée ?)."""
    existante = Candidature.objects.filter(appel=appel, structure=structure).first()
    if existante is not None:
        _exiger(par, "candidatures.voir_candidature", existante)
        return existante, False
    _exiger(
        par,
        "candidatures.modifier_structure",
        structure,
        _("Vous ne pouvez candidater que pour votre structure."),
    )
    if not appel.accepte_les_depots():
        raise ActionImpossible(_raison_depot_impossible(appel))
    with transaction.atomic():
        candidature = Candidature.objects.create(appel=appel, structure=structure, creee_par=par)
        journaliser(TypeEvenement.CANDIDATURE_COMMENCEE, cible=candidature, acteur=par)
    return candidature, True


def _exiger_modifiable(candidature, par):
    _exiger(par, "candidatures.voir_candidature", candidature)
    if not par.has_perm("candidatures.modifier_candidature", candidature):
        if candidature.etat in (EtatCandidature.BROUILLON, EtatCandidature.A_COMPLETER):
            raise ActionNonPermise(str(REFUS_PAR_DEFAUT))
        raise ActionImpossible(
            _("Cette candidature est « %(etat)s » : elle ne se modifie plus.")
            % {"etat": candidature.get_etat_display()}
        )


def enregistrer_reponses(candidature, *, par, reponses):
    """Fusionne des réponses ({id de question: valeur JSON ou None pour effacer}) dans le
    brouillon et note l'heure d'enregistrement. Pas de journal : c'est un brouillon."""
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger_modifiable(candidature, par)
        questions = set(candidature.appel.questions.values_list("pk", flat=True))
        fusion = dict(candidature.reponses)
        for identifiant, valeur in reponses.items():
            if int(identifiant) not in questions:
                continue
            if valeur is None:
                fusion.pop(str(identifiant), None)
            else:
                fusion[str(identifiant)] = valeur
        candidature.reponses = fusion
        candidature.brouillon_enregistre_le = timezone.now()
        candidature.save(update_fields=["reponses", "brouillon_enregistre_le", "modifiee_le"])
    return candidature


def _supprimer_fichier_au_commit(fichier):
    nom, stockage = fichier.name, fichier.storage
    # robust: a file that cannot be removed (disk, permissions) is logged, and the request that
    # committed still succeeds; an orphan file costs space, not the user's work.
    transaction.on_commit(lambda: stockage.delete(nom), robust=True)


def joindre_fichier(candidature, *, par, fichier, piece_demandee=None, question=None):
    """Vérifie le fichier (type par son contenu, taille) et l'enregistre pour la pièce ou la
    question ; un fichier déjà joint au même endroit est remplacé. Journalisé."""
    format_ = verifier_fichier(fichier)
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger_modifiable(candidature, par)
        if piece_demandee is not None:
            emplacement = {"piece_demandee": piece_demandee}
            valide = piece_demandee.appel_id == candidature.appel_id
        else:
            emplacement = {"question": question}
            valide = (
                question is not None
                and question.appel_id == candidature.appel_id
                and question.type == TypeQuestion.FICHIER
            )
        if not valide:
            raise DonneesRefusees(_("Ce fichier ne correspond à aucune pièce de cet appel."))
        for ancienne in PieceJointe.objects.filter(candidature=candidature, **emplacement):
            _supprimer_fichier_au_commit(ancienne.fichier)
            ancienne.delete()
        piece = PieceJointe(
            candidature=candidature,
            nom_original=PurePosixPath(fichier.name).name[:255],
            type_mime=format_.type_mime,
            taille=fichier.size,
            ajoutee_par=par,
            **emplacement,
        )
        piece.fichier.save(piece.nom_original, fichier, save=False)
        try:
            piece.save()
        except Exception:
            piece.fichier.storage.delete(piece.fichier.name)
            raise
        journaliser(
            TypeEvenement.PIECE_JOINTE_AJOUTEE,
            cible=candidature,
            acteur=par,
            motif=piece.nom_original,
        )
    return piece


def retirer_fichier(piece, *, par):
    """Supprime un fichier joint d'une candidature encore modifiable. Journalisé."""
    with transaction.atomic():
        candidature = _verrouiller(piece.candidature)
        _exiger_modifiable(candidature, par)
        piece = PieceJointe.objects.get(pk=piece.pk, candidature=candidature)
        _supprimer_fichier_au_commit(piece.fichier)
        piece.delete()
        journaliser(
            TypeEvenement.PIECE_JOINTE_RETIREE,
            cible=candidature,
            acteur=par,
            motif=piece.nom_original,
        )


# --- Candidatures : dépôt ------------------------------------------------------------------


def _raison_depot_impossible(appel, maintenant=None):
    maintenant = maintenant or timezone.now()
    if appel.etat == EtatAppel.OUVERT and appel.ouverture and maintenant < appel.ouverture:
        return _("Les dépôts ouvrent le %(date)s.") % {"date": _quand(appel.ouverture)}
    if appel.date_limite and maintenant >= appel.date_limite:
        return _(
            "La date limite de dépôt était le %(date)s : l'appel n'accepte plus de candidature."
        ) % {"date": _quand(appel.date_limite)}
    return _("Cet appel n'est pas ouvert aux candidatures.")


def instantane_eligibilite(candidature, *, maintenant=None):
    """La réponse de la règle d'éligibilité de l'appel pour la commune et le type de la
    structure, en données JSON à figer dans la candidature : `Eligibilite.en_dict()` de
    territoires (result, reasons, summary, population et millésime, liste et détail des QPV,
    règles appliquées), avec l'heure de l'évaluation."""
    from territoires.eligibilite import CommuneInconnue, ReglesEligibilite, evaluer_eligibilite

    structure = candidature.structure
    commune = structure.commune
    try:
        instantane = evaluer_eligibilite(
            commune.code_insee,
            ReglesEligibilite.depuis_appel(candidature.appel),
            type_structure=structure.type,
        ).en_dict()
    except CommuneInconnue:
        raison = (
            f"{commune.nom} ({commune.code_insee}) est absente des données de référence : "
            "un gestionnaire examinera la candidature."
        )
        instantane = {
            "code": commune.code_insee,
            "commune": commune.nom,
            "insee_code": commune.code_insee,
            "result": ResultatEligibilite.A_EXAMINER.value,
            "reasons": [raison],
            "summary": raison,
        }
    instantane["evaluee_le"] = (maintenant or timezone.now()).isoformat()
    return instantane


CHAMPS_DU_DEPOT = [
    "etat",
    "premier_depot_le",
    "deposee_le",
    "eligibilite",
    "resultat_eligibilite",
    "modifiee_le",
]


def deposer_candidature(candidature, *, par):
    """brouillon → déposée, avant la date limite et si rien ne manque.

    Fige la réponse d'éligibilité dans la candidature, journalise le dépôt et envoie à chaque
    membre de la structure la confirmation avec le récépissé PDF (au commit).
    """
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger(par, "candidatures.deposer_candidature", candidature)
        _exiger_etat(candidature, "deposer", _("déposer la candidature"))
        if not candidature.appel.accepte_les_depots():
            raise DateLimiteDepassee(
                _raison_depot_impossible(candidature.appel)
                + " "
                + _("Vos réponses restent enregistrées.")
            )
        manques = candidature.manques()
        if manques:
            raise CandidatureIncomplete(manques)
        with _sans_refus_brut(_("déposer la candidature")):
            candidature.deposer(
                eligibilite=instantane_eligibilite(candidature), by=par, description="Dépôt"
            )
        candidature.save(update_fields=CHAMPS_DU_DEPOT)
        notifications.candidature_deposee(candidature, par=par)
    return candidature


def redeposer_candidature(candidature, *, par):
    """à compléter → déposée, si rien ne manque (la date limite ne compte plus : c'est le
    gestionnaire qui a demandé le complément). Refige l'éligibilité (la commune a pu être
    corrigée), journalise et renvoie la confirmation avec un nouveau récépissé."""
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger(par, "candidatures.deposer_candidature", candidature)
        _exiger_etat(candidature, "redeposer", _("déposer à nouveau la candidature"))
        manques = candidature.manques()
        if manques:
            raise CandidatureIncomplete(manques)
        with _sans_refus_brut(_("déposer à nouveau la candidature")):
            candidature.redeposer(
                eligibilite=instantane_eligibilite(candidature),
                by=par,
                description="Nouveau dépôt après complément",
            )
        candidature.save(update_fields=CHAMPS_DU_DEPOT)
        notifications.candidature_deposee(candidature, par=par, redepot=True)
    return candidature


# --- Candidatures : instruction par les gestionnaires --------------------------------------


def demander_complement(candidature, *, par, message):
    """déposée → à compléter, avec le message (obligatoire) envoyé à la structure."""
    message = _motif_obligatoire(message, _("Le message à la structure"))
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger(par, "candidatures.instruire_candidature", candidature)
        _exiger_etat(candidature, "demander_complement", _("demander un complément"))
        with _sans_refus_brut(_("demander un complément")):
            candidature.demander_complement(message=message, by=par, description=message)
        candidature.save(update_fields=["etat", "demande_complement", "modifiee_le"])
        notifications.complement_demande(candidature)
    return candidature


def declarer_irrecevable(candidature, *, par, motif):
    """déposée → irrecevable, avec le motif (obligatoire) envoyé à la structure."""
    motif = _motif_obligatoire(motif, _("Le motif d'irrecevabilité"))
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger(par, "candidatures.instruire_candidature", candidature)
        _exiger_etat(candidature, "declarer_irrecevable", _("déclarer la candidature irrecevable"))
        with _sans_refus_brut(_("déclarer la candidature irrecevable")):
            candidature.declarer_irrecevable(motif=motif, by=par, description=motif)
        candidature.save(
            update_fields=["etat", "motif_irrecevabilite", "recevabilite_decidee_le", "modifiee_le"]
        )
        notifications.candidature_irrecevable(candidature)
    return candidature


def declarer_recevable(candidature, *, par):
    """déposée → recevable ; la structure en est informée."""
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger(par, "candidatures.instruire_candidature", candidature)
        _exiger_etat(candidature, "declarer_recevable", _("déclarer la candidature recevable"))
        with _sans_refus_brut(_("déclarer la candidature recevable")):
            candidature.declarer_recevable(by=par, description="Recevable")
        candidature.save(update_fields=["etat", "recevabilite_decidee_le", "modifiee_le"])
        notifications.candidature_recevable(candidature)
    return candidature


def declarer_recevables(candidatures, *, par):
    """Déclare recevables plusieurs candidatures, chacune dans sa propre transaction : une
    candidature refusée (déjà traitée, pas à ce gestionnaire) n'empêche pas les autres.
    Renvoie (candidatures déclarées, [(candidature, raison du refus)])."""
    faites, refusees = [], []
    for candidature in candidatures:
        try:
            faites.append(declarer_recevable(candidature, par=par))
        except (ActionImpossible, ActionNonPermise) as refus:
            refusees.append((candidature, refus.message))
    return faites, refusees


def forcer_eligibilite(candidature, *, par, resultat, motif):
    """Remplace le résultat d'éligibilité d'une candidature déposée par celui d'un gestionnaire,
    motif obligatoire. La réponse figée au dépôt reste telle quelle à côté. Journalisé avec
    l'ancien et le nouveau résultat."""
    motif = _motif_obligatoire(motif, _("Le motif du forçage"))
    if resultat not in ResultatEligibilite.values:
        raise DonneesRefusees(_("Choisissez le résultat d'éligibilité retenu."))
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger(par, "candidatures.instruire_candidature", candidature)
        if not candidature.eligibilite:
            raise ActionImpossible(
                _("L'éligibilité se force sur une candidature déposée : celle-ci ne l'a pas été.")
            )
        avant = candidature.resultat_eligibilite
        candidature.resultat_eligibilite = resultat
        candidature.eligibilite_forcee_le = timezone.now()
        candidature.eligibilite_forcee_par = par
        candidature.motif_forcage_eligibilite = motif
        candidature.save(
            update_fields=[
                "resultat_eligibilite",
                "eligibilite_forcee_le",
                "eligibilite_forcee_par",
                "motif_forcage_eligibilite",
                "modifiee_le",
            ]
        )
        journaliser(
            TypeEvenement.ELIGIBILITE_FORCEE,
            cible=candidature,
            acteur=par,
            motif=motif,
            donnees={
                "avant": avant,
                "apres": resultat,
                "calcule": candidature.resultat_eligibilite_calcule,
            },
        )
    return candidature


def retirer_candidature(candidature, *, par, motif=""):
    """→ retirée, à la demande de la structure, tant qu'aucune décision n'est prise."""
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger(par, "candidatures.retirer_candidature", candidature)
        _exiger_etat(candidature, "retirer", _("retirer la candidature"))
        with _sans_refus_brut(_("retirer la candidature")):
            candidature.retirer(
                motif=(motif or "").strip(), by=par, description=(motif or "").strip() or "Retrait"
            )
        candidature.save(update_fields=["etat", "motif_retrait", "retiree_le", "modifiee_le"])
    return candidature
