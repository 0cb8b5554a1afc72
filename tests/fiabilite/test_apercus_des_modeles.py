"""Chaque courriel qu'un programme peut réécrire a l'aperçu d'un objet réel du programme : son
texte de départ s'y rend avec les valeurs de cet objet, sans champ vide ni objet en clair."""

import pytest
from django.utils import timezone

from messagerie.catalogue import courriels_des_programmes, valeurs_des_champs
from noyau.gabarits_surs import rendre
from tests.candidatures.factories import AppelFactory
from tests.fiabilite.monde import construire_monde

pytestmark = pytest.mark.django_db


def test_le_texte_de_depart_de_chaque_courriel_se_rend_avec_l_exemple_du_programme():
    programme = construire_monde().objets["programme"]
    AppelFactory(programme=programme, clos=True, clos_le=timezone.now())
    sans_exemple, rendus = [], {}

    for entree in courriels_des_programmes():
        texte = entree.texte_du_programme
        contexte = texte.exemple(programme.pk)
        if contexte is None:
            sans_exemple.append(entree.code)
            continue
        valeurs = valeurs_des_champs(texte.champs, contexte)
        rendus[entree.code] = (rendre(str(texte.sujet), valeurs), rendre(str(texte.corps), valeurs))

    assert sans_exemple == []
    for code, (sujet, corps) in rendus.items():
        assert "{" not in sujet + corps, code
        assert "<" not in sujet + corps, code
        assert "None" not in sujet + corps, code
        assert corps.endswith(f"L'équipe {programme.nom}\n"), code
