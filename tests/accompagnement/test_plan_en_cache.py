"""La page d'un plan : le formulaire de remise d'un kit, gardé en cache tant qu'il est vide,
suit le catalogue du programme, la période du plan et la langue ; le compte des kits remis et
la période sont tirés de ce que la page lit déjà (ses étapes, ses remises, le catalogue).
Chaque écriture se fait sans service (mise à jour directe, aucun cache effacé)."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accompagnement.models import Jalon, Kit, RemiseKit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _le_francais_ensuite():
    """Une page servie en anglais laisse l'anglais actif dans ce fil d'exécution."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _plan(client, plan, **entetes):
    reponse = client.get(reverse("accompagnement:plan", args=[plan.pk]), **entetes)
    assert reponse.status_code == 200
    return reponse.text


def _options(page):
    """Les kits proposés par le formulaire de remise, dans l'ordre."""
    liste = page.split('<select name="kit"')[1].split("</select>")[0]
    return re.findall(r'<option value="[0-9]+">([^<]*)</option>', liste)


def _periode(page):
    champ = page.split('<input type="date" name="date"')[1].split(">")[0]
    return champ.split('min="')[1].split('"')[0], champ.split('max="')[1].split('"')[0]


def test_le_formulaire_de_remise_suit_le_catalogue_du_programme(client, plan, coach):
    client.force_login(coach)
    kits = list(plan.programme.kits.order_by("nom"))
    assert _options(_plan(client, plan)) == [kit.nom for kit in kits]

    Kit.objects.filter(pk=kits[0].pk).update(nom="Kit « Zéro papier »")
    nouveau = Kit.objects.create(programme=plan.programme, nom="Kit « Agenda partagé »")
    Kit.objects.filter(pk=kits[1].pk).delete()

    assert _options(_plan(client, plan)) == [
        "Kit « Agenda partagé »",
        kits[2].nom,
        kits[3].nom,
        "Kit « Zéro papier »",
    ]
    assert f'<option value="{nouveau.pk}">' in _plan(client, plan)


def test_le_formulaire_de_remise_suit_la_periode_du_plan(client, plan, coach):
    client.force_login(coach)
    debut = plan.date_debut
    avant = _plan(client, plan)
    minimum, maximum = _periode(avant)
    assert minimum == debut.isoformat()

    Jalon.objects.filter(pk=plan.jalons.order_by("pk")[0].pk).update(
        echeance=datetime.date(2031, 5, 6)
    )

    apres = _plan(client, plan)
    assert _periode(apres) == (minimum, "2031-05-06")
    assert "et le 6 mai 2031." in apres
    assert maximum != "2031-05-06"


def test_le_formulaire_de_remise_en_anglais_n_est_pas_celui_en_francais(client, plan, coach):
    client.force_login(coach)
    _plan(client, plan)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    anglais = _plan(client, plan)
    formulaire = anglais.split('<div id="div_id_date"')[1].split("</label>")[0]
    assert "Handed over on" in formulaire
    assert "Remis le" not in formulaire


def test_le_compte_des_kits_remis_suit_les_remises(client, plan, coach):
    client.force_login(coach)
    premier, deuxieme = plan.programme.kits.order_by("nom")[:2]
    RemiseKit.objects.create(plan=plan, kit=premier, date=plan.date_debut, remis_par=coach)
    RemiseKit.objects.create(plan=plan, kit=deuxieme, date=plan.date_debut, remis_par=coach)
    assert "2 kits remis sur 4 prévus au programme" in _plan(client, plan)

    RemiseKit.objects.filter(kit=premier).delete()

    assert "1 kit remis sur 4 prévus au programme" in _plan(client, plan)


def test_la_page_d_un_plan_en_requetes(client, plan, coach, django_assert_num_queries):
    client.force_login(coach)
    _plan(client, plan)
    # Le compte, la structure de la personne ; le plan ; ses étapes ; les formations et les
    # kits du programme ; ses remises ; ses sessions ; le fil, son auteur ; les notes, les
    # étiquettes ; l'historique.
    with django_assert_num_queries(13):
        _plan(client, plan)


def _formulaire_du_fil(page):
    return page.split('action="/fils/plan/')[1].split("</form>")[0]


def test_le_formulaire_du_fil_en_cache_est_celui_de_chacun(client, plan, coach, membre):
    """Gardé en cache vide : l'équipe (délai de réponse) et la structure (sans) ont chacune le
    sien, en français comme en anglais."""
    for _fois in range(2):
        client.force_login(coach)
        equipe = _formulaire_du_fil(_plan(client, plan))
        client.force_login(membre)
        structure = _formulaire_du_fil(_plan(client, plan))
        assert 'name="delai_reponse_jours"' in equipe
        assert 'name="delai_reponse_jours"' not in structure
        assert "Votre message" in equipe and "Votre message" in structure

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    anglais = _formulaire_du_fil(_plan(client, plan))
    assert "Your message" in anglais
    assert "Votre message" not in anglais
