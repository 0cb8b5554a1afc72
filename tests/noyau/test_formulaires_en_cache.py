"""Un formulaire vide gardé en cache (`noyau.formulaires_en_cache`) : sa clé suit ce qu'il
montre et la langue ; rempli, il n'en a pas. Vu sur la page d'une structure (l'invitation d'un
ou une collègue) et avec le formulaire d'un message."""

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from candidatures.forms import ForcageEligibiliteForm, InvitationStructureForm
from comptes.models import Utilisateur
from echanges.forms import MessageFilForm
from noyau.formulaires_en_cache import cle_du_formulaire_vide
from tests.candidatures.factories import StructureFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _le_francais_ensuite():
    """Une page servie en anglais laisse l'anglais actif dans ce fil d'exécution."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_la_cle_suit_le_formulaire_la_langue_et_ce_qu_il_montre():
    with translation.override("fr"):
        equipe = cle_du_formulaire_vide(MessageFilForm(equipe=True))
        structure = cle_du_formulaire_vide(MessageFilForm(equipe=False))
        invitation = cle_du_formulaire_vide(InvitationStructureForm())
        assert cle_du_formulaire_vide(MessageFilForm(equipe=True)) == equipe
        autre_valeur = cle_du_formulaire_vide(MessageFilForm(equipe=True, initial={"texte": "x"}))
    with translation.override("en"):
        anglais = cle_du_formulaire_vide(MessageFilForm(equipe=True))

    assert len({equipe, structure, invitation, autre_valeur, anglais}) == 5
    assert cle_du_formulaire_vide(MessageFilForm({"texte": ""}, equipe=True)) is None
    assert cle_du_formulaire_vide(None) is None


def test_l_invitation_de_la_page_d_une_structure_en_francais_puis_en_anglais(
    client, django_assert_num_queries
):
    responsable = UtilisateurFactory(candidat=True)
    structure = StructureFactory(membres=[responsable])
    client.force_login(responsable)
    adresse = reverse("candidatures:structure", args=[structure.pk])

    def formulaire():
        page = client.get(adresse).text
        return page.split('<div id="div_id_email"')[1].split("</div>")[0]

    francais = formulaire()
    # Le compte ; ses structures ; la structure ; « responsable ? » ; les candidatures, les
    # personnes et les invitations de la structure.
    with django_assert_num_queries(7):
        assert formulaire() == francais
    assert "Adresse électronique de votre collègue" in francais
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    anglais = formulaire()
    assert "Your colleague&#x27;s email address" in anglais
    assert "Adresse électronique" not in anglais


def test_des_choix_ecrits_dans_le_code_entrent_dans_la_cle(django_assert_num_queries):
    """Une liste de choix du code : ses valeurs et libellés font partie de la clé, lue sans
    requête ; des choix venus de la base ou d'une fonction laissent le formulaire sans clé."""

    class Choix(forms.Form):
        sens = forms.ChoiceField(choices=[("a", "Oui"), ("b", "Non")])

    class AutresLibelles(forms.Form):
        sens = forms.ChoiceField(choices=[("a", "Oui"), ("b", "Peut-être")])

    class DeLaBase(forms.Form):
        compte = forms.ModelChoiceField(queryset=Utilisateur.objects.all())

    class DUneFonction(forms.Form):
        sens = forms.ChoiceField(choices=lambda: [("a", "Oui")])

    with translation.override("fr"), django_assert_num_queries(0):
        cles = {
            cle_du_formulaire_vide(Choix()),
            cle_du_formulaire_vide(Choix(initial={"sens": "b"})),
            cle_du_formulaire_vide(AutresLibelles()),
            cle_du_formulaire_vide(ForcageEligibiliteForm(initial={"resultat": "eligible"})),
            cle_du_formulaire_vide(ForcageEligibiliteForm(initial={"resultat": "a_examiner"})),
        }
        assert len(cles) == 5 and None not in cles
        assert cle_du_formulaire_vide(Choix()) in cles
        assert cle_du_formulaire_vide(DeLaBase()) is None
        assert cle_du_formulaire_vide(DUneFonction()) is None
        assert cle_du_formulaire_vide(Choix({"sens": "a"})) is None
