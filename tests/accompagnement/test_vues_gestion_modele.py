"""La page du modèle de jalons renvoyée avec des erreurs les résume en tête, ligne par ligne,
avec un lien vers chaque champ (RGAA 11.10, 11.11)."""

import pytest

pytestmark = pytest.mark.django_db


def _donnees_telles_quelles(formset):
    """Ce que le navigateur renvoie d'un jeu de formulaires affiché sans rien y changer."""
    donnees = {
        f"{formset.prefix}-TOTAL_FORMS": str(formset.total_form_count()),
        f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for form in formset.forms:
        for champ in form:
            valeur = champ.value()
            if valeur is None or valeur is False:
                continue
            donnees[champ.html_name] = "on" if valeur is True else str(valeur)
    return donnees


def test_le_modele_refuse_resume_ses_erreurs_par_ligne(client, gestionnaire, programme):
    client.force_login(gestionnaire)
    adresse = f"/gestion/programmes/{programme.pk}/modele-jalons/"
    donnees = _donnees_telles_quelles(client.get(adresse).context["formset"])
    donnees["form-1-libelle"] = ""
    donnees["form-2-duree_mois"] = "abc"

    reponse = client.post(adresse, donnees)

    contenu = reponse.content.decode()
    assert reponse.status_code == 400
    assert "<title>Erreur : " in contenu
    assert "Le formulaire contient 2 erreurs" in contenu
    assert (
        '<a href="#id_form-1-libelle" class="alert-link">'
        "Ligne 2, Intitulé : Ce champ est obligatoire.</a>" in contenu
    )
    assert (
        '<a href="#id_form-2-duree_mois" class="alert-link">'
        "Ligne 3, Durée (mois) : Saisissez un nombre entier.</a>"
    ) in contenu
