// Admin of periodic tasks: shows the chosen crontab in words under its field.
(function () {
  "use strict";
  var script = document.currentScript;
  var aide = script.dataset.aide || "";
  var lisibles = JSON.parse(document.getElementById("readable-crontabs").textContent);
  var $ = window.django.jQuery;
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    var lisible = lisibles[$("#id_crontab").val()];
    var zone = $(".field-crontab .help").empty().text(aide);
    if (lisible) {
      zone.append($("<br>"), document.createTextNode("Traduction : " + lisible));
    }
  });
})();
