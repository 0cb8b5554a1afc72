"""Les applications en couches : chacune n'importe que celles du dessous (README
« Architecture »), sans boucle, sans import caché dans une fonction ni passé par importlib.

Les couches sont déclarées une fois, dans pyproject.toml ([tool.importlinter]) ; import-linter
les vérifie sur tout le graphe des imports, y compris ceux qui sont dans des fonctions. Ce
fichier ajoute ce qu'il ne voit pas : un import d'un module de Relais placé dans une fonction
(même vers le bas : on ne cache pas une dépendance) et les imports dynamiques.
"""

import ast
import subprocess  # nosec B404 - lance l'outil du projet, sans shell
import sys
import tomllib
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent
CONFIGURATION = tomllib.loads((RACINE / "pyproject.toml").read_text())["tool"]["importlinter"]
APPLICATIONS = CONFIGURATION["root_packages"]


def _fichiers_de_l_application():
    for application in APPLICATIONS:
        for fichier in sorted((RACINE / application).rglob("*.py")):
            if "migrations" not in fichier.parts:
                yield fichier


def _ascendants(arbre):
    parents = {}
    for noeud in ast.walk(arbre):
        for enfant in ast.iter_child_nodes(noeud):
            parents[enfant] = noeud
    return parents


def _dans_une_fonction(noeud, parents):
    """Dans une fonction, hors du `ready()` d'une AppConfig : c'est là que Django veut qu'une
    application branche ses récepteurs de signaux, une fois les modèles chargés."""
    while noeud in parents:
        noeud = parents[noeud]
        if isinstance(noeud, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            classe = parents.get(noeud)
            dans_ready = noeud.name == "ready" if hasattr(noeud, "name") else False
            return not (dans_ready and isinstance(classe, ast.ClassDef))
    return False


def _modules_importes(noeud):
    if isinstance(noeud, ast.Import):
        return [alias.name for alias in noeud.names]
    if isinstance(noeud, ast.ImportFrom) and noeud.level == 0 and noeud.module:
        return [noeud.module]
    if isinstance(noeud, ast.ImportFrom):
        return ["."]  # un import relatif vise toujours un module de Relais
    return []


def _est_un_import_dynamique(noeud):
    if not isinstance(noeud, ast.Call):
        return False
    fonction = noeud.func
    nom = fonction.attr if isinstance(fonction, ast.Attribute) else getattr(fonction, "id", "")
    return nom in {"import_module", "__import__", "spec_from_file_location", "import_string"}


def _ecarts():
    ecarts = []
    for fichier in _fichiers_de_l_application():
        arbre = ast.parse(fichier.read_text(), filename=str(fichier))
        parents = _ascendants(arbre)
        lieu = fichier.relative_to(RACINE)
        for noeud in ast.walk(arbre):
            if _est_un_import_dynamique(noeud):
                ecarts.append(f"{lieu}:{noeud.lineno} import dynamique")
            for module in _modules_importes(noeud):
                de_relais = module == "." or module.split(".")[0] in APPLICATIONS
                if de_relais and _dans_une_fonction(noeud, parents):
                    ecarts.append(f"{lieu}:{noeud.lineno} import de {module} dans une fonction")
    return ecarts


def test_aucun_import_cache_dans_une_fonction_ni_dynamique():
    assert _ecarts() == []


def test_les_applications_n_importent_que_vers_le_bas():
    """import-linter sur le graphe complet : une flèche vers le haut (donc toute boucle entre
    applications) fait échouer le test avec la chaîne d'imports en cause."""
    outil = Path(sys.executable).with_name("lint-imports")
    resultat = subprocess.run(  # nosec B603 - l'outil installé dans l'environnement du projet
        [str(outil), "--no-cache"], cwd=RACINE, capture_output=True, text=True, check=False
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr


def test_les_couches_nomment_chaque_application_installee():
    """Une application ajoutée sans place dans les couches échapperait au contrôle."""
    from django.apps import apps

    relais = {
        config.name
        for config in apps.get_app_configs()
        if (RACINE / config.name.split(".")[0]).is_dir()
    }
    (contrat,) = CONFIGURATION["contracts"]
    assert relais - {"aap"} <= set(contrat["layers"]) - {"aap"}
    assert set(contrat["layers"]) == set(APPLICATIONS)


@pytest.mark.parametrize(
    ("source", "attendu"),
    [
        ("def f():\n    from candidatures.models import Appel\n", True),
        ("def f():\n    import weasyprint\n", False),
        ("from candidatures.models import Appel\n", False),
        ("def f():\n    return importlib.import_module('candidatures')\n", True),
        ("def f(chemin):\n    return import_string(chemin)()\n", True),
        ("class C(AppConfig):\n    def ready(self):\n        from candidatures import x\n", False),
    ],
)
def test_le_controle_voit_ce_qu_il_doit_voir(source, attendu, tmp_path, monkeypatch):
    """Le contrôle lui-même : un import de Relais dans une fonction et un import dynamique sont
    vus ; un import de bibliothèque tardif ou en tête de module ne l'est pas."""
    paquet = tmp_path / "candidatures"
    paquet.mkdir()
    (paquet / "module.py").write_text(source)
    monkeypatch.setattr(sys.modules[__name__], "RACINE", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "APPLICATIONS", ["candidatures"])
    assert bool(_ecarts()) is attendu


def _transitions_declarees():
    noms = set()
    for fichier in _fichiers_de_l_application():
        for noeud in ast.walk(ast.parse(fichier.read_text())):
            if isinstance(noeud, ast.FunctionDef) and any(
                isinstance(decorateur, ast.Call)
                and getattr(decorateur.func, "id", "") == "transition_journalisee"
                for decorateur in noeud.decorator_list
            ):
                noms.add(noeud.name)
    return noms


def _noms_importes(arbre):
    noms = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Import | ast.ImportFrom):
            noms.update((alias.asname or alias.name).split(".")[0] for alias in noeud.names)
    return noms


def test_chaque_transition_passe_par_appliquer_transition():
    """Aucun code de l'application n'appelle une méthode de transition lui-même : seul
    `noyau.transitions.appliquer_transition` le fait (par son nom). Un appel sur un module
    importé (`services.publier(...)`) n'est pas une transition."""
    transitions = _transitions_declarees()
    assert {"publier", "deposer", "commencer_envoi", "abandonner"} <= transitions
    appels = []
    for fichier in _fichiers_de_l_application():
        arbre = ast.parse(fichier.read_text())
        modules = _noms_importes(arbre)
        for noeud in ast.walk(arbre):
            if not (isinstance(noeud, ast.Call) and isinstance(noeud.func, ast.Attribute)):
                continue
            receveur = noeud.func.value
            sur_un_module = isinstance(receveur, ast.Name) and receveur.id in modules
            if noeud.func.attr in transitions and not sur_un_module:
                appels.append(f"{fichier.relative_to(RACINE)}:{noeud.lineno} .{noeud.func.attr}()")
    assert appels == []
