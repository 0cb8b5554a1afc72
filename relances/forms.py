from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from relances.registre import courriels_reglables, types_de_relance


def _lire_decalages(texte):
    valeurs = []
    for morceau in texte.replace(";", ",").split(","):
        morceau = morceau.strip().replace("J", "").replace("j", "").replace("−", "-")
        if not morceau:
            continue
        try:
            valeurs.append(int(morceau))
        except ValueError:
            raise forms.ValidationError(
                gettext("« %(saisie)s » n'est pas un nombre de jours. Écrivez par exemple : -7, -1")
                % {"saisie": morceau}
            ) from None
    if any(abs(valeur) > 365 for valeur in valeurs):
        raise forms.ValidationError(gettext("Un décalage ne peut pas dépasser 365 jours."))
    return sorted(set(valeurs))


class ReglagesRelancesForm(forms.Form):
    """Un bloc par type de relance réglable sur cet objet : active, décalages, répétition."""

    def __init__(self, *args, modele, reglages, **kwargs):
        super().__init__(*args, **kwargs)
        self.types = types_de_relance(reglables_sur=modele)
        for type_relance in self.types:
            reglage = reglages.get(type_relance.code)
            decalages = reglage.decalages if reglage else type_relance.decalages
            repetition = reglage.repetition_jours if reglage else type_relance.repetition_jours
            self.fields[f"{type_relance.code}-active"] = forms.BooleanField(
                label=gettext("%(libelle)s : active") % {"libelle": type_relance.libelle},
                required=False,
                initial=reglage.active if reglage else True,
                disabled=type_relance.essentiel,
                help_text=type_relance.raison_essentielle if type_relance.essentiel else "",
            )
            self.fields[f"{type_relance.code}-decalages"] = forms.CharField(
                label=gettext("%(libelle)s : jours par rapport à l'échéance")
                % {"libelle": type_relance.libelle},
                help_text=gettext(
                    "Négatif : avant l'échéance (-7 = une semaine avant) ; positif : après."
                ),
                initial=", ".join(str(d) for d in decalages),
                required=True,
            )
            self.fields[f"{type_relance.code}-repetition"] = forms.IntegerField(
                label=gettext("%(libelle)s : puis relancer tous les … jours (facultatif)")
                % {"libelle": type_relance.libelle},
                min_value=1,
                max_value=90,
                required=False,
                initial=repetition,
            )

    def clean(self):
        donnees = super().clean()
        for type_relance in self.types:
            champ = f"{type_relance.code}-decalages"
            if champ in donnees:
                try:
                    donnees[champ] = _lire_decalages(donnees[champ])
                except forms.ValidationError as erreur:
                    self.add_error(champ, erreur)
                    continue
                if not donnees[champ]:
                    self.add_error(champ, gettext("Indiquez au moins un décalage."))
        return donnees

    def reglages_saisis(self):
        """{code: (active, décalages, répétition)} des types de ce formulaire."""
        return {
            t.code: (
                True if t.essentiel else self.cleaned_data[f"{t.code}-active"],
                self.cleaned_data[f"{t.code}-decalages"],
                self.cleaned_data[f"{t.code}-repetition"],
            )
            for t in self.types
        }


class PreferencesForm(forms.Form):
    resume_quotidien = forms.BooleanField(
        label=_("Recevoir un seul courriel par jour qui regroupe mes relances"), required=False
    )

    def __init__(self, *args, types_desactives, **kwargs):
        super().__init__(*args, **kwargs)
        for type_relance in courriels_reglables():
            self.fields[f"type_{type_relance.code}"] = forms.BooleanField(
                label=type_relance.libelle,
                required=False,
                initial=type_relance.code not in types_desactives,
                disabled=type_relance.essentiel,
                help_text=type_relance.raison_essentielle if type_relance.essentiel else "",
            )
            if type_relance.essentiel:
                self.fields[f"type_{type_relance.code}"].initial = True
