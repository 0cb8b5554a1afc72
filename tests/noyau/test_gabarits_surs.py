"""Le bac à sable des textes écrits par les gestionnaires : les champs offerts, rien d'autre."""

import pytest

from noyau.erreurs import DonneesRefusees
from noyau.gabarits_surs import rendre, verifier

VALEURS = {"structure": "CCAS de Lomme", "reference": "REL-000042", "places": 3}


def test_les_champs_et_les_conditions_sont_rendus():
    texte = (
        "Bonjour {{ structure }},\n"
        "{% if places > 1 %}{{ places }} places{% else %}une place{% endif %} "
        "pour {{ reference|lower }}.\n"
    )

    assert rendre(texte, VALEURS) == "Bonjour CCAS de Lomme,\n3 places pour rel-000042.\n"


def test_un_champ_inconnu_est_refuse_en_nommant_les_champs_possibles():
    with pytest.raises(DonneesRefusees) as refus:
        verifier("Bonjour {{ nom_du_maire }}", VALEURS)

    assert refus.value.message == (
        "Le champ {{ nom_du_maire }} n'existe pas ; champs possibles : places, reference, "
        "structure."
    )


@pytest.mark.parametrize(
    ("texte", "message"),
    [
        (
            "{{ structure.__class__ }}",
            "Le modèle ne peut lire que les champs proposés, sans « . » ni « [ ] ».",
        ),
        (
            "{{ structure['x'] }}",
            "Le modèle ne peut lire que les champs proposés, sans « . » ni « [ ] ».",
        ),
        ("{{ structure() }}", "Le modèle ne peut pas appeler de fonction."),
        ("{% include '/etc/passwd' %}", "Le modèle ne peut pas inclure un autre fichier."),
        ("{% extends 'base.html' %}", "Le modèle ne peut pas inclure un autre fichier."),
        ("{% import 'x' as y %}", "Le modèle ne peut pas inclure un autre fichier."),
        (
            "{% for c in structure %}{{ c }}{% endfor %}",
            "Le modèle ne peut pas contenir de boucle.",
        ),
        (
            "{% set structure = 'x' %}",
            "Le modèle contient une instruction non permise : seuls les champs {{ nom }} et les "
            "conditions {% if %} sont acceptés.",
        ),
        (
            "{{ structure|attr('upper') }}",
            "Le filtre « attr » n'est pas permis ; filtres possibles : upper, lower, "
            "capitalize, title, trim, default.",
        ),
        (
            "{{ range(10) }}",
            "Le modèle ne peut pas appeler de fonction.",
        ),
    ],
)
def test_ce_qui_sort_des_champs_offerts_est_refuse(texte, message):
    with pytest.raises(DonneesRefusees) as refus:
        rendre(texte, VALEURS)

    assert refus.value.message == message


def test_un_texte_illisible_est_refuse_avec_sa_ligne():
    with pytest.raises(DonneesRefusees) as refus:
        verifier("Bonjour\n{{ structure ", VALEURS)

    assert refus.value.message == (
        "Le modèle ne peut pas être lu (ligne 2) : vérifiez les {{ }} et les {% %}."
    )


def test_une_valeur_qui_n_est_pas_un_texte_est_une_erreur_de_programmation():
    with pytest.raises(TypeError):
        rendre("{{ objet }}", {"objet": object()})
