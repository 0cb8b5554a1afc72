import rules

from noyau.perimetre import gere
from noyau.roles import est_gestionnaire


@rules.predicate
def message_visible(utilisateur, message):
    return message is not None and (
        gere(utilisateur, message) or message.utilisateur_id == utilisateur.pk
    )


# La liste est filtrée par `Message.objects.visibles_par` ; un message se lit et se renvoie
# seulement s'il relève d'un programme que l'on gère ou s'il nous est adressé (l'administration
# de la plateforme, en superutilisateur, voit tout).
rules.add_perm("messagerie.voir_messages", est_gestionnaire)
rules.add_perm("messagerie.voir_message", est_gestionnaire & message_visible)
rules.add_perm("messagerie.renvoyer_message", est_gestionnaire & message_visible)


@rules.predicate
def gere_l_objet(utilisateur, objet):
    """L'objet (un programme, un envoi groupé) relève d'un programme que cette personne gère."""
    return objet is not None and gere(utilisateur, objet)


# Les modèles de courriels et de documents d'un programme : ses gestionnaires seulement.
rules.add_perm("messagerie.gerer_modeles", est_gestionnaire & gere_l_objet)
rules.add_perm("messagerie.acceder_aux_modeles", est_gestionnaire)


# Écrire à une liste : gestionnaire du programme de la liste (l'objet : ce programme, ou un
# envoi groupé). La liste des envois est filtrée par `EnvoiGroupe.objects.visibles_par`.
rules.add_perm("messagerie.voir_envois", est_gestionnaire)
rules.add_perm("messagerie.envoyer_groupe", est_gestionnaire & gere_l_objet)
rules.add_perm("messagerie.voir_envoi", est_gestionnaire & gere_l_objet)
