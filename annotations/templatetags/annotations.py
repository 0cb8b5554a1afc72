"""`{% notes_privees objet %}` : les notes et les étiquettes d'une candidature ou d'un plan,
sur sa page, pour ceux qui peuvent les lire (règles déclarées au registre) ; pour tout autre
(la structure, sur la page du plan qu'elle partage), rien du tout.

`{% etiquettes_en_badges objet %}` : les étiquettes d'une ligne de liste, posées d'avance par
`annotations.selectors.poser_les_etiquettes` (aucune requête ici)."""

from django import template

from annotations import registre, selectors
from annotations.forms import NoteForm

register = template.Library()


@register.inclusion_tag("annotations/_notes.html", takes_context=True)
def notes_privees(context, cible):
    requete = context.get("request")
    utilisateur = getattr(requete, "user", None)
    annotable = registre.pour(cible)
    if (
        annotable is None
        or utilisateur is None
        or not utilisateur.has_perm("annotations.voir_annotations", cible)
    ):
        return {"visible": False}
    notes = list(selectors.notes_de(cible))
    for note in notes:
        note.cible = cible
        note.peut_modifier = utilisateur.has_perm("annotations.modifier_note", note)
    return {
        "visible": True,
        "cible": cible,
        "code": annotable.code,
        "notes": notes,
        "etiquettes": list(selectors.etiquettes_de(cible)),
        "peut_ecrire": utilisateur.has_perm("annotations.ecrire_note", cible),
        "form": NoteForm(auto_id="note_%s"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("annotations/_badges.html")
def etiquettes_en_badges(objet):
    return {"etiquettes": getattr(objet, "etiquettes_privees", [])}
