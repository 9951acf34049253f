"""Loading the pilot-model programmes and models from fixtures/ (see reporting.catalog.loading)."""

from reporting.catalog.loading import LoadCounts, read_fixture, upsert

from .models import ModelProgramme, PilotModel


def load_pilot_models(*, update=False):
    counts = LoadCounts()
    for row in read_fixture("declared_totals.csv"):
        if row["catalog"] == "model_programme":
            values = {"name": row["name"], "declared_count": int(row["declared_count"]), "source": row["source"]}
            upsert(ModelProgramme, {"code": row["code"]}, values, update=update, counts=counts)
    programmes = {programme.code: programme for programme in ModelProgramme.objects.all()}
    for row in read_fixture("pilot_models.csv"):
        values = {
            "programme": programmes[row["programme"]],
            "number": row["number"],
            "name": row["name"],
            "source": row["source"],
            "note": row["note"],
        }
        upsert(PilotModel, {"code": row["code"]}, values, update=update, counts=counts)
    return counts
