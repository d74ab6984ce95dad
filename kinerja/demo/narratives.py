"""Demo narratives of the LKjIP 2023 (fictional text): the organisation and strategic issues of
chapter I, and analyses 5 and 7 for the two sasaran indicators. The goal indicators (T1.1, T2.1)
are left without, so the demo document shows "analisis belum diisi" where staff have not
written yet."""

from __future__ import annotations

from kinerja.plan.models import Plan
from kinerja.reports.actions import do_save_lkjip_narrative
from kinerja.reports.models import LkjipNarrative

YEAR = 2023
UNIT_TEXTS = {
    LkjipNarrative.Kind.ORGANISATION: (
        "Kecamatan dipimpin oleh Camat, dibantu Sekretaris Kecamatan yang membawahkan Subbagian "
        "Umum dan Kepegawaian serta Subbagian Perencanaan dan Keuangan, dan lima Seksi: "
        "Pemerintahan, Pelayanan, Pemberdayaan Masyarakat, Ketenteraman dan Ketertiban Umum, "
        "serta Kesejahteraan Sosial. Enam kelurahan berada di wilayah kecamatan."
    ),
    LkjipNarrative.Kind.STRATEGIC_ISSUES: (
        "1. Kualitas pelayanan administrasi yang belum merata antar kelurahan.\n"
        "2. Partisipasi lembaga kemasyarakatan dalam perencanaan pembangunan yang masih rendah.\n"
        "3. Keterbatasan sarana pelayanan daring."
    ),
}
INDICATOR_TEXTS = {
    "S2.1": {
        LkjipNarrative.Kind.CAUSES: (
            "IKM sedikit di bawah target karena waktu tunggu layanan administrasi kependudukan "
            "pada triwulan III. Solusi: penambahan petugas loket pada jam sibuk dan antrean "
            "daring."
        ),
        LkjipNarrative.Kind.PROGRAMS: (
            "Menunjang: Program Penyelenggaraan Pemerintahan dan Pelayanan Publik. Menghambat: "
            "perbaikan ruang pelayanan yang mengurangi jumlah loket selama dua bulan."
        ),
    },
    "S1.1": {
        LkjipNarrative.Kind.CAUSES: (
            "Fasilitasi kelompok dan lembaga kemasyarakatan terlaksana sesuai jadwal berkat "
            "koordinasi rutin dengan kelurahan."
        ),
        LkjipNarrative.Kind.PROGRAMS: (
            "Menunjang: Program Pemberdayaan Masyarakat Desa dan Kelurahan, kegiatan "
            "pembinaan lembaga kemasyarakatan."
        ),
    },
}


def load(plan: Plan) -> str:
    count = 0
    for kind, text in UNIT_TEXTS.items():
        do_save_lkjip_narrative(None, plan.unit, YEAR, kind, text)
        count += 1
    for code, texts in INDICATOR_TEXTS.items():
        for kind, text in texts.items():
            do_save_lkjip_narrative(None, plan.unit, YEAR, kind, text, code)
            count += 1
    return f"{count} LKjIP narratives of {YEAR}"
