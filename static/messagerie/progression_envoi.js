// Sans JavaScript, le lien « Actualiser » de la page la recharge. Avec, on relit la page toutes
// les trois secondes pendant l'envoi et on remplace la zone de progression (role="status", lue
// par les lecteurs d'écran) et l'état de l'envoi, sans recharger : rien ne bouge sous le
// curseur ni sous le focus. On s'arrête quand la page relue n'est plus « en cours ».
(function () {
  var zone = document.getElementById("progression");
  if (!zone || !zone.dataset.enCours || !window.fetch || !window.DOMParser) return;
  var intervalle = 3000;
  var limite = Date.now() + 60 * 60 * 1000;

  function remplacer(page, identifiant) {
    var ancien = document.getElementById(identifiant);
    var nouveau = page.getElementById(identifiant);
    if (ancien && nouveau) ancien.innerHTML = nouveau.innerHTML;
    return nouveau;
  }

  function interroger() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) throw new Error(String(reponse.status));
        return reponse.text();
      })
      .then(function (texte) {
        var page = new DOMParser().parseFromString(texte, "text/html");
        remplacer(page, "etat-envoi");
        var nouvelle = remplacer(page, "progression");
        if (nouvelle && nouvelle.dataset.enCours) suivante();
      })
      .catch(suivante);
  }

  function suivante() {
    if (Date.now() < limite) window.setTimeout(interroger, intervalle);
  }

  suivante();
})();
