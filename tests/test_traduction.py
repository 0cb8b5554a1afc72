"""L'interface anglaise est complète : tout texte montré est marqué pour la traduction, chaque
chaîne marquée a sa traduction, le catalogue compilé est celui du fichier .po, et les pages en
anglais disent les dates en anglais."""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from aap.textes_a_traduire import (
    gabarits,
    lire_po,
    textes_non_traduits,
    textes_python_non_traduits,
)

RACINE = Path(settings.BASE_DIR)
CATALOGUES = RACINE / "locale/en/LC_MESSAGES"
APPLICATIONS = [
    "aap",
    "accompagnement",
    "activite",
    "candidatures",
    "comptes",
    "evaluation",
    "journal",
    "noyau",
    "demo",
    "messagerie",
    "programmes",
    "relances",
    "structures",
    "territoires",
    "echanges",
    "annotations",
    "crochets",
    "api",
    "donnees_ouvertes",
]


def test_le_releve_trouve_le_texte_en_dur_et_laisse_le_texte_marque(tmp_path):
    gabarit = tmp_path / "page.html"
    gabarit.write_text(
        "{% load i18n %}\n"
        "<h1>{% translate 'Mes candidatures' %}</h1>\n"
        "<p>Texte oublié</p>\n"
        '<button aria-label="Fermer la fenêtre">×</button>\n'
        "<p>{% blocktranslate with n=total %}{{ n }} dossiers{% endblocktranslate %}</p>\n"
        '<a href="{{ url }}" title="{% translate "Ouvrir" %}">{{ appel.titre }}</a>\n'
        "<script>const texte = 'pas une phrase';</script>\n"
        "{% comment %}Une note pour les développeurs{% endcomment %}\n"
        "<span>Relais — PDF</span>\n"
        '<p>{{ appel.date_limite|date:"j F Y à H:i"|default:"à venir" }}</p>\n'
        '<p>{{ appel.ouverture|date:"DATETIME_FORMAT" }} {{ n|default:"—" }}</p>\n'
        '<p>{{ d|date:"d/m/Y" }}</p>\n'
        '{% include "_pastille.html" with libelle="Validé" classe="bg-success" %}\n',
        encoding="utf-8",
    )

    assert textes_non_traduits(gabarit) == [
        (3, "Texte oublié"),
        (4, 'aria-label="Fermer la fenêtre"'),
        (10, "format de date « j F Y à H:i »"),
        (10, "à venir"),
        (13, "Validé"),
    ]


def test_le_releve_lit_les_courriels_en_texte_ligne_a_ligne(tmp_path):
    gabarit = tmp_path / "corps.txt"
    gabarit.write_text(
        "{% load i18n %}{% blocktranslate trimmed %}Bonjour,{% endblocktranslate %}\n"
        "\n"
        "Votre candidature est déposée.\n"
        "{{ lien }}\n",
        encoding="utf-8",
    )

    assert textes_non_traduits(gabarit) == [(3, "Votre candidature est déposée.")]


def test_le_releve_laisse_le_texte_marque_translate_no(tmp_path):
    gabarit = tmp_path / "page.html"
    gabarit.write_text(
        '<p><pre translate="no"><code>curl -H "Authorization: Bearer x"</code></pre>'
        "<br>Texte à traduire<br></p>\n",
        encoding="utf-8",
    )

    assert textes_non_traduits(gabarit) == [(1, "Texte à traduire")]


def test_le_releve_trouve_les_libelles_et_messages_python_en_dur(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "from django.db import models\n"
        "from django.utils.translation import gettext as _, gettext_lazy\n"
        "class Etat(models.TextChoices):\n"
        '    OUVERT = "ouvert", "Ouvert"\n'
        '    CLOS = "clos", gettext_lazy("Clos")\n'
        "class Appel(models.Model):\n"
        '    titre = models.CharField("titre", max_length=10)\n'
        '    code = models.CharField(gettext_lazy("code"), max_length=10)\n'
        "    class Meta:\n"
        '        verbose_name = "appel"\n'
        "def vue(request, nom):\n"
        '    messages.success(request, f"Appel {nom} publié.")\n'
        '    messages.success(request, _("Appel %(nom)s clos.") % {"nom": nom})\n'
        '    raise DonneesRefusees("Date invalide.")\n'
        '    raise ValueError("interne")\n',
        encoding="utf-8",
    )

    assert textes_python_non_traduits(module) == [
        (4, "Ouvert"),
        (7, "titre"),
        (10, "appel"),
        (12, "Appel … publié."),
        (14, "Date invalide."),
    ]


@pytest.mark.parametrize("dossier", ["templates"])
def test_aucun_texte_de_gabarit_n_echappe_a_la_traduction(dossier):
    oublis = [
        f"{chemin.relative_to(RACINE)}:{ligne}: {texte}"
        for chemin in gabarits(RACINE / dossier)
        if chemin.suffix in {".html", ".txt"}
        for ligne, texte in textes_non_traduits(chemin)
    ]

    assert oublis == []


def test_aucun_libelle_ni_message_python_n_echappe_a_la_traduction():
    oublis = [
        f"{chemin.relative_to(RACINE)}:{ligne}: {texte}"
        for application in APPLICATIONS
        for chemin in gabarits(RACINE / application)
        if chemin.suffix == ".py" and "migrations" not in chemin.parts
        for ligne, texte in textes_python_non_traduits(chemin)
    ]

    assert oublis == []


@pytest.mark.parametrize(("domaine", "au_moins"), [("django", 1500), ("djangojs", 15)])
def test_chaque_chaine_marquee_a_sa_traduction_anglaise(domaine, au_moins):
    entrees = lire_po(CATALOGUES / f"{domaine}.po")

    a_reprendre = [e["msgid"] for e in entrees if e["fuzzy"] or not all(e["msgstr"])]

    assert len(entrees) > au_moins
    assert a_reprendre == []


@pytest.mark.parametrize("domaine", ["django", "djangojs"])
def test_le_catalogue_compile_est_celui_du_fichier_po(domaine):
    """Un .po modifié sans `compilemessages` laisserait l'anglais d'avant en service."""
    with (CATALOGUES / f"{domaine}.mo").open("rb") as fichier:
        compile = gettext.GNUTranslations(fichier)._catalog

    attendu = {}
    for entree in lire_po(CATALOGUES / f"{domaine}.po"):
        cle = entree["msgid"]
        if entree["msgctxt"]:
            cle = f"{entree['msgctxt']}\x04{cle}"
        if entree["msgid_plural"]:
            for rang, traduction in enumerate(entree["msgstr"]):
                attendu[(cle, rang)] = traduction
        else:
            attendu[cle] = entree["msgstr"][0]
    compile.pop("", None)

    assert compile == attendu


def test_les_scripts_prennent_leurs_textes_dans_le_catalogue():
    """Une phrase écrite en dur dans un script resterait en français sur une page anglaise."""
    litteral = re.compile(r"([\"'])((?:\\.|(?!\1).)*)\1")
    traduit = re.compile(r"n?gettext\(\s*(?:([\"'])(?:\\.|(?!\1).)*\1\s*,\s*)?$")
    oublis = []
    for script in sorted((RACINE / "static").rglob("*.js")):
        code = script.read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/", lambda m: "\n" * m[0].count("\n"), code, flags=re.S)
        code = re.sub(r"^\s*//.*$", "", code, flags=re.M)
        for correspondance in litteral.finditer(code):
            texte = correspondance[2]
            phrase = re.search(r"[^\W\d_]{2,} [^\W\d_]{2,}", texte)
            lisible = phrase and (texte[:1].isupper() or not texte.isascii())
            if lisible and not traduit.search(code[: correspondance.start()]):
                numero = code.count("\n", 0, correspondance.start()) + 1
                oublis.append(f"{script.relative_to(RACINE)}:{numero}: {texte}")

    assert oublis == []


@pytest.mark.django_db
def test_une_date_dans_une_page_anglaise_est_en_anglais(client):
    from tests.candidatures.factories import AppelFactory

    limite = timezone.make_aware(datetime.datetime(2027, 4, 1, 12, 0))
    appel = AppelFactory(ouvert=True, date_limite=limite)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    reponse = client.get(f"/appels/{appel.slug}/")

    assert reponse.status_code == 200
    assert "1 April 2027, 12:00" in reponse.text
    assert "avril" not in reponse.text
    assert "Date limite" not in reponse.text


@pytest.mark.django_db
def test_la_meme_page_en_francais_garde_ses_dates_francaises(client):
    from tests.candidatures.factories import AppelFactory

    limite = timezone.make_aware(datetime.datetime(2027, 4, 1, 12, 0))
    appel = AppelFactory(ouvert=True, date_limite=limite)

    reponse = client.get(f"/appels/{appel.slug}/")

    assert "1 avril 2027 à 12:00" in reponse.text


@pytest.mark.parametrize(
    ("langue", "attendus"),
    [("fr", ["61,1", "12", "12\xa0345", "—"]), ("en", ["61.1", "12", "12,345", "—"])],
)
def test_les_chiffres_du_bilan_suivent_la_langue(langue, attendus):
    from activite.presentation import _nombre

    with translation.override(langue):
        assert [_nombre(v) for v in (61.14, 12.0, 12345, None)] == attendus
