from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from .models import ModelProgramme, PilotModel


@login_required
def model_list(request):
    models = PilotModel.objects.select_related("lead_agency")
    programmes = ModelProgramme.objects.prefetch_related(Prefetch("models", queryset=models))
    return render(request, "catalogs/model_list.html", {"programmes": programmes})
