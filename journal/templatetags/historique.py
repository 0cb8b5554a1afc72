"""`{% historique objet %}` : le journal d'un objet sur sa page (changements d'état et autres
événements, du plus ancien au plus récent).

L'équipe du programme (tout compte qui a un autre rôle que celui de structure candidate, et
l'administration) voit toutes les lignes et qui a agi ; une structure candidate ne voit que
les changements d'état, sans nom de personne, comme dans la chronologie d'une candidature."""

from django import template

from journal.selectors import historique as lignes_du_journal
from journal.selectors import libelles_des_etats
from noyau.roles import Role

register = template.Library()


def _voit_tout(utilisateur):
    if not utilisateur.is_authenticated:
        return False
    if utilisateur.is_staff or utilisateur.is_superuser:
        return True
    return bool(utilisateur.roles - {Role.CANDIDAT})


@register.inclusion_tag("journal/_historique.html", takes_context=True)
def historique(context, objet, titre_id="titre-historique"):
    requete = context.get("request")
    utilisateur = getattr(requete, "user", None)
    voit_tout = utilisateur is not None and _voit_tout(utilisateur)
    etats = libelles_des_etats(type(objet))
    lignes = []
    for ligne in lignes_du_journal(objet):
        if not voit_tout and not ligne.vers:
            continue
        if ligne.acteur is None:
            par = "Relais"
        elif voit_tout:
            par = ligne.acteur.get_full_name() or ligne.acteur.email
        else:
            par = ""
        lignes.append(
            {
                "quand": ligne.quand,
                "par": par,
                "libelle": etats.get(ligne.vers, ligne.libelle) if ligne.vers else ligne.libelle,
                "motif": ligne.motif,
            }
        )
    return {"lignes": lignes, "titre_id": titre_id}
