from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from .forms import PhotoForm
from .models import Photo


@login_required
def photo_new(request):
    form = PhotoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        photo = form.save()
        return redirect("photo-detail", pk=photo.pk)
    return render(request, "gallery/photo_form.html", {"form": form})


def photo_detail(request, pk):
    return render(request, "gallery/photo_detail.html", {"photo": get_object_or_404(Photo, pk=pk)})
