"""Compte les requêtes SQL de chaque requête HTTP et les renvoie dans l'en-tête X-Requetes-SQL.

Branché seulement par `bench.settings` : le coût d'un wrapper d'exécution n'a rien à faire en
production. Les réponses en flux (exports) sont comptées quand leur itérateur est épuisé, ce que
l'en-tête ne peut plus dire : pour elles, la valeur est celle du début de la réponse."""

from django.db import connection

ENTETE = "X-Requetes-SQL"


class _Compteur:
    def __init__(self):
        self.nombre = 0

    def __call__(self, execute, sql, params, many, context):
        self.nombre += 1
        return execute(sql, params, many, context)


class CompteurRequetesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        compteur = _Compteur()
        with connection.execute_wrapper(compteur):
            response = self.get_response(request)
        response[ENTETE] = str(compteur.nombre)
        return response
