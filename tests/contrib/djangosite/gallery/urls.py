from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("photos/new/", views.photo_new, name="photo-new"),
    path("photos/<int:pk>/", views.photo_detail, name="photo-detail"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="admin/login.html"), name="login"),
]
