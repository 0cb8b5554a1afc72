// Sans JavaScript, le lien « Actualiser » recharge la page de l'export. Avec, on demande toutes
// les deux secondes où en est la préparation : la zone d'état (role="status", lue par les
// lecteurs d'écran) prend le texte du serveur, la barre avance, et le lien du fichier paraît
// quand il est prêt.
(function () {
  var zone = document.getElementById("etat-export");
  if (!zone || !window.fetch) return;
  var texte = document.getElementById("texte-export");
  var barre = document.getElementById("barre-export");
  var lien = document.getElementById("lien-fichier");
  var actualiser = document.getElementById("lien-actualiser");
  var intervalle = 2000;
  var limite = Date.now() + 30 * 60 * 1000;
  var enCours = { en_attente: true, en_cours: true };
  if (!enCours[zone.dataset.etat]) return;

  function interroger() {
    fetch(zone.dataset.adresseEtat, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) throw new Error(String(reponse.status));
        return reponse.json();
      })
      .then(function (donnees) {
        if (texte.textContent !== donnees.texte) texte.textContent = donnees.texte;
        if (barre) {
          barre.value = donnees.pourcentage;
          barre.textContent = donnees.pourcentage + " %";
        }
        if (donnees.etat === "pret") {
          lien.hidden = false;
          if (actualiser) actualiser.hidden = true;
        } else if (enCours[donnees.etat]) {
          suivante();
        } else if (actualiser) {
          actualiser.hidden = true;
        }
      })
      .catch(suivante);
  }

  function suivante() {
    if (Date.now() < limite) window.setTimeout(interroger, intervalle);
  }

  suivante();
})();
