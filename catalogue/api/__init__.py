"""The read-only JSON API at /api/: viewsets (views.py), their JSON shapes (serializers.py) and URLs."""
