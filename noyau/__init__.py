"""Le socle que toutes les applications peuvent importer : refus métier et leur réponse HTTP,
transitions d'état, contrôle des fichiers déposés. Il n'importe aucune application de Relais."""
