from django.urls import path

from correspondence import views_public

app_name = "letters_public"
urlpatterns = [
    path("v/<str:token>/", views_public.letter_verify, name="verify"),
]
