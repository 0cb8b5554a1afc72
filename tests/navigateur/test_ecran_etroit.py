"""À 375 px de large (un téléphone), aucune page du jury ni du suivi ne défile de côté (RGAA
10.11, refusion) ; la page d'une étape n'a pas deux fois le même identifiant (issue #15,
point 29)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.fiabilite.monde import construire_monde

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LARGEUR = 375

# Pour le message d'échec : les éléments qui dépassent, hors des conteneurs qui défilent et
# sans leurs descendants.
TROP_LARGES = """(largeur) => {
    const defile = (e) => {
        for (let p = e.parentElement; p; p = p.parentElement) {
            if (getComputedStyle(p).overflowX !== 'visible') return true;
        }
        return false;
    };
    const larges = [...document.querySelectorAll('body *')].filter(
        (e) => e.getBoundingClientRect().right > largeur + 1 && !defile(e)
    );
    return larges
        .filter((e) => !larges.includes(e.parentElement))
        .slice(0, 6)
        .map((e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' '
            + Math.round(e.getBoundingClientRect().right));
}"""

PAGES = [
    ("gestionnaire", "invitations", lambda m: {}),
    ("jury", "evaluation:jury_accueil", lambda m: {}),
    ("jury", "evaluation:jury_candidature", lambda m: {"pk": m.candidature_jury.pk}),
    ("gestionnaire", "evaluation:gestion_jury", lambda m: {"pk": m.jury.appel_id}),
    ("gestionnaire", "evaluation:gestion_grille", lambda m: {"pk": m.jury.appel_id}),
    ("gestionnaire", "evaluation:gestion_classement", lambda m: {"pk": m.jury.appel_id}),
    ("coach", "accompagnement:frise", lambda m: {}),
    ("coach", "accompagnement:plan", lambda m: {"pk": m.plan.pk}),
    ("coach", "accompagnement:jalon", lambda m: {"pk": m.jalon.pk}),
    (
        "gestionnaire",
        "accompagnement:gestion_cohorte",
        lambda m: {"pk": m.plan.candidature.appel_id},
    ),
]


def _se_connecter(page, live_server, compte):
    client = Client()
    client.force_login(compte)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_pages_du_jury_et_du_suivi_sans_defilement_horizontal_a_375_px(page, live_server):
    monde = construire_monde()
    page.set_viewport_size({"width": LARGEUR, "height": 800})
    larges = {}
    connecte = None
    for role, nom, parametres in PAGES:
        if connecte != role:
            page.context.clear_cookies()
            _se_connecter(page, live_server, monde.comptes[role])
            connecte = role
        reponse = page.goto(live_server.url + reverse(nom, kwargs=parametres(monde)))
        assert reponse.status == 200, nom
        largeur = page.evaluate("document.documentElement.scrollWidth")
        if largeur > LARGEUR:
            larges[nom] = (largeur, page.evaluate(TROP_LARGES, LARGEUR))
    assert larges == {}


def test_page_d_une_etape_sans_identifiant_en_double(page, live_server):
    monde = construire_monde()
    _se_connecter(page, live_server, monde.comptes["coach"])

    page.goto(live_server.url + reverse("accompagnement:jalon", args=[monde.jalon.pk]))

    doubles = page.evaluate(
        """() => {
            const vus = {};
            for (const e of document.querySelectorAll('[id]')) vus[e.id] = (vus[e.id] || 0) + 1;
            return Object.keys(vus).filter((id) => vus[id] > 1).sort();
        }"""
    )
    assert doubles == []
    # Les deux « motif » de la page (changer l'échéance, annuler l'étape) ont chacun le leur.
    assert page.locator("#id_echeance_motif").count() == 1
    assert page.locator("#id_annulation_motif").count() == 1
