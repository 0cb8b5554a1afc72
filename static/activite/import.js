// Sans JavaScript le formulaire s'envoie normalement ; avec, on montre l'envoi puis la
// vérification des lignes, et la réponse (le rapport) remplace la page.
(function () {
  var formulaire = document.getElementById("formulaire-import");
  if (!formulaire || !window.XMLHttpRequest || !window.FormData) return;
  formulaire.addEventListener("submit", function (evenement) {
    evenement.preventDefault();
    var bloc = document.getElementById("progression-import");
    var barre = document.getElementById("barre-import");
    var etape = document.getElementById("etape-import");
    bloc.hidden = false;
    var requete = new XMLHttpRequest();
    requete.open("POST", formulaire.action || window.location.href);
    requete.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { barre.value = Math.round(100 * e.loaded / e.total); }
    });
    requete.upload.addEventListener("load", function () {
      etape.textContent = gettext("Vérification de chaque ligne, puis enregistrement…");
      barre.removeAttribute("value");
    });
    requete.addEventListener("load", function () {
      document.open(); document.write(requete.responseText); document.close();
    });
    requete.send(new FormData(formulaire));
  });
})();
