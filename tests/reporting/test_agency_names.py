import pytest

from reporting.choices import AgencyKind
from reporting.models import Agency
from reporting.units.names import NameMatcher, normalise_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def matcher(catalogs):
    return NameMatcher(Agency.objects.all())


@pytest.mark.parametrize("printed, code", [
    ("Công an thành phố", "CATP"),
    ("Công an Thành phố", "CATP"),
    ("Sở Thông tin và truyền thông", "STTTT"),
    ("Sở Thông tin và Truyền thông", "STTTT"),
    ("Sở Lao động - Thương binh và Xã hội", "SLDTBXH"),
    ("Sở Lao động – Thương binh và Xã hội", "SLDTBXH"),
    ("Cục thuế \nThành phố", "CTHUE"),
    ("Văn phòng Ủy ban nhân dân Thành phố", "VPUB"),
    ("Văn phòng UBND Thành phố", "VPUB"),
    ("Tài nguyên và Môi trường", "STNMT"),
    ("Sở Tài nguyên và môi trường", "STNMT"),
    ("TP.Thủ Đức", "TPTD"),
])
def test_spelling_variants_match_one_agency(matcher, printed, code):
    assert matcher.match_one(printed).code == code


def test_commas_inside_names_do_not_split_them(matcher):
    result = matcher.match_list("Công an Thành phố, UBND quận, huyện, thành phố Thủ Đức")
    assert [agency.code for agency in result.agencies] == ["CATP"]
    assert result.kinds == [AgencyKind.DISTRICT]
    assert result.unresolved == []


def test_and_inside_names_does_not_split_them(matcher):
    result = matcher.match_list("Bộ Công an, Bộ Lao động – Thương binh và Xã hội, Bộ Thông tin và Truyền thông")
    assert [agency.code for agency in result.agencies] == ["BCA", "BLDTBXH", "BTTTT"]


def test_unknown_names_are_reported_not_guessed(matcher):
    result = matcher.match_list("Sở Thông tin và truyền thông, Sở Văn hóa và Thể thao, Cơ quan Báo, Đài truyền hình")
    assert [agency.code for agency in result.agencies] == ["STTTT", "SVHTT"]
    assert result.unresolved == ["cơ quan báo", "đài truyền hình"]


def test_group_phrases_and_fillers(matcher):
    result = matcher.match_list("Công an Thành phố và các sở, ban, ngành, địa phương liên quan")
    assert [agency.code for agency in result.agencies] == ["CATP"]
    assert result.kinds == [AgencyKind.DEPARTMENT, AgencyKind.DISTRICT, AgencyKind.WARD]
    assert result.unresolved == []


def test_normalise_folds_case_dashes_spaces_and_ubnd():
    assert normalise_name("Ủy ban nhân dân  Quận 1") == normalise_name("UBND quận 1") == "ubnd quận 1"
    assert normalise_name("A–B") == normalise_name("A - B")
