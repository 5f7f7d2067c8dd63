from django.contrib import admin

from .models import Attachment, Document, Photo

admin.site.register(Photo)
admin.site.register(Document)
admin.site.register(Attachment)
