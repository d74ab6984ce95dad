"""Fill the Indonesian catalogue of the surveys app from the table below (run after makemessages).

Answer labels are the exact wording of PermenPANRB 14/2017 (DESIGN §3.1).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ID: dict[str, str | tuple[str, str]] = {
    "This survey code is not valid or has already been used.": "Kode survei ini tidak valid atau sudah digunakan.",
    "Issue between 1 and 1000 codes at a time.": "Terbitkan antara 1 sampai 1000 kode sekali jalan.",
    "Unknown element %(code)s.": "Unsur %(code)s tidak dikenal.",
    "How well do the requirements match the service you received?": "Bagaimana kesesuaian persyaratan dengan jenis pelayanan yang Anda terima?",
    "How easy is the service procedure?": "Bagaimana kemudahan prosedur pelayanan?",
    "How fast was the service completed?": "Bagaimana kecepatan waktu penyelesaian pelayanan?",
    "How do you rate the cost of the service?": "Bagaimana kewajaran biaya/tarif pelayanan?",
    "How well does the result match the service standard?": "Bagaimana kesesuaian produk pelayanan dengan standar pelayanan?",
    "How competent were the officers?": "Bagaimana kompetensi/kemampuan petugas pelayanan?",
    "How polite and friendly were the officers?": "Bagaimana kesopanan dan keramahan petugas?",
    "How are complaints, suggestions and feedback handled?": "Bagaimana penanganan pengaduan, saran dan masukan?",
    "How good are the facilities?": "Bagaimana kualitas sarana dan prasarana?",
    "Requirements": "Persyaratan",
    "Systems, mechanisms and procedures": "Sistem, Mekanisme, dan Prosedur",
    "Completion time": "Waktu Penyelesaian",
    "Cost/tariff": "Biaya/Tarif",
    "Product specification of the service": "Produk Spesifikasi Jenis Pelayanan",
    "Staff competence": "Kompetensi Pelaksana",
    "Staff behaviour": "Perilaku Pelaksana",
    "Handling of complaints, suggestions and feedback": "Penanganan Pengaduan, Saran dan Masukan",
    "Facilities and infrastructure": "Sarana dan Prasarana",
    "Not suitable": "Tidak sesuai",
    "Less suitable": "Kurang sesuai",
    "Suitable": "Sesuai",
    "Very suitable": "Sangat sesuai",
    "Not easy": "Tidak mudah",
    "Less easy": "Kurang mudah",
    "Easy": "Mudah",
    "Very easy": "Sangat mudah",
    "Not fast": "Tidak cepat",
    "Less fast": "Kurang cepat",
    "Fast": "Cepat",
    "Very fast": "Sangat cepat",
    "Very expensive": "Sangat mahal",
    "Rather expensive": "Cukup mahal",
    "Cheap": "Murah",
    "Free": "Gratis",
    "Not competent": "Tidak kompeten",
    "Less competent": "Kurang kompeten",
    "Competent": "Kompeten",
    "Very competent": "Sangat kompeten",
    "Not polite and friendly": "Tidak sopan dan ramah",
    "Less polite and friendly": "Kurang sopan dan ramah",
    "Polite and friendly": "Sopan dan ramah",
    "Very polite and friendly": "Sangat sopan dan ramah",
    "None": "Tidak ada",
    "Exists but does not work": "Ada tetapi tidak berfungsi",
    "Works, not optimally": "Berfungsi kurang maksimal",
    "Well managed": "Dikelola dengan baik",
    "Poor": "Buruk",
    "Fair": "Cukup",
    "Good": "Baik",
    "Very good": "Sangat Baik",
    "Male (L)": "Laki-laki (L)",
    "Female (P)": "Perempuan (P)",
    "Civil servant (PNS)": "PNS",
    "Private employee": "Pegawai swasta",
    "Self-employed": "Wirausaha",
    "Student": "Pelajar/Mahasiswa",
    "Other": "Lainnya",
    "Please choose an answer.": "Silakan pilih salah satu jawaban.",
    "Gender": "Jenis kelamin",
    "Age (years)": "Umur (tahun)",
    "Last education": "Pendidikan terakhir",
    "Occupation": "Pekerjaan",
    "Suggestions for improvement (optional)": "Saran perbaikan (boleh dikosongkan)",
    "Leave this field empty": "Biarkan kolom ini kosong",
    "Survey code from your receipt": "Kode survei pada tanda terima Anda",
    "Date on the form": "Tanggal pada formulir",
    "Session": "Sesi",
    "morning": "pagi",
    "afternoon": "siang",
    "The date cannot be in the future.": "Tanggal tidak boleh di masa depan.",
    "Service users per year": "Pengguna layanan per tahun",
    "One year per line, e.g. 2024: 1200": "Satu tahun per baris, mis. 2024: 1200",
    "Line %(n)s: write YEAR: USERS, e.g. 2024: 1200": "Baris %(n)s: tulis TAHUN: JUMLAH, mis. 2024: 1200",
    "Number of codes": "Jumlah kode",
    "CSV or XLSX file": "Berkas CSV atau XLSX",
    "Check only, store nothing": "Periksa saja, jangan simpan",
    "service is required (this unit has several: %(choices)s)": "layanan wajib diisi (unit ini punya beberapa: %(choices)s)",
    "unknown service %(name)r (services of this unit: %(choices)s)": "layanan tidak dikenal %(name)r (layanan unit ini: %(choices)s)",
    "unit": "unit",
    "code": "kode",
    "name": "nama",
    "public link code": "kode tautan publik",
    "Short code in the public survey link and QR code.": "Kode pendek pada tautan survei publik dan kode QR.",
    "active": "aktif",
    "require a survey code from the receipt": "wajib kode survei dari tanda terima",
    "The public form then accepts only single-use codes printed by staff.": "Formulir publik hanya menerima kode sekali pakai yang dicetak petugas.",
    "service": "layanan",
    "services": "layanan",
    "year": "tahun",
    "service users in the year": "pengguna layanan dalam setahun",
    "yearly service users": "pengguna layanan tahunan",
    "file": "berkas",
    "imported at": "diimpor pada",
    "rows in file": "baris dalam berkas",
    "new responses": "jawaban baru",
    "survey import": "impor survei",
    "survey imports": "impor survei",
    "online form": "formulir daring",
    "kiosk": "kios",
    "paper form": "formulir kertas",
    "import": "impor",
    "submitted at": "waktu pengisian",
    "day": "tanggal",
    "session": "sesi",
    "channel": "saluran",
    "gender": "jenis kelamin",
    "age": "umur",
    "education": "pendidikan",
    "occupation": "pekerjaan",
    "suggestion": "saran",
    "response": "jawaban",
    "responses": "jawaban",
    "daily survey tally": "rekap survei harian",
    "daily survey tallies": "rekap survei harian",
    "receipt survey code": "kode survei tanda terima",
    "receipt survey codes": "kode survei tanda terima",
    "rate limit bucket": "pembatas laju",
    "rate limit buckets": "pembatas laju",
    "planned": "direncanakan",
    "in progress": "sedang berjalan",
    "done": "selesai",
    "period": "periode",
    "element": "unsur",
    "action": "tindakan",
    "responsible": "penanggung jawab",
    "deadline": "tenggat",
    "status": "status",
    "follow-up action": "tindak lanjut",
    "follow-up actions": "tindak lanjut",
    "This form has expired. Please check your answers and send it again.": "Formulir ini sudah kedaluwarsa. Silakan periksa jawaban Anda dan kirim lagi.",
    "Index per element (NRR × 25)": "Indeks per unsur (NRR × 25)",
    "Element": "Unsur",
    "Index": "Indeks",
    "Grade": "Mutu",
    "Difference": "Selisih",
    "Survey poster": "Poster survei",
    "Follow-up plan": "Rencana tindak lanjut",
    "Follow-up plan (rencana tindak lanjut)": "Rencana tindak lanjut",
    "Survey results": "Hasil survei",
    "Elements from the lowest": "Unsur dari yang terendah",
    "No survey responses in this period yet.": "Belum ada jawaban survei pada periode ini.",
    "Planned actions": "Tindakan yang direncanakan",
    "Action": "Tindakan",
    "Responsible": "Penanggung jawab",
    "Deadline": "Tenggat",
    "Status": "Status",
    "Edit": "Ubah",
    "No actions planned yet.": "Belum ada tindakan yang direncanakan.",
    "Edit action": "Ubah tindakan",
    "New action": "Tindakan baru",
    "Save": "Simpan",
    "Actions of %(p)s: did the element improve?": "Tindakan %(p)s: apakah nilai unsurnya naik?",
    "Before": "Sebelum",
    "Now": "Sekarang",
    "Result": "Hasil",
    "rose": "naik",
    "unchanged": "tetap",
    "fell": "turun",
    "No actions were planned in the previous period.": "Tidak ada tindakan yang direncanakan pada periode sebelumnya.",
    "Import responses": "Impor jawaban",
    "Import survey responses": "Impor jawaban survei",
    "CSV or XLSX with the columns submitted_at, service, gender, age, education, occupation, U1…U9, suggestion. The whole file is checked first; if any row is wrong nothing is stored. Rows imported before are skipped.": "CSV atau XLSX dengan kolom submitted_at, service, gender, age, education, occupation, U1…U9, suggestion. Seluruh berkas diperiksa lebih dulu; jika ada baris yang salah, tidak ada yang disimpan. Baris yang sudah pernah diimpor dilewati.",
    "Import": "Impor",
    "The file was refused: %(n)s problem. Nothing was stored.": (
        "Berkas ditolak: %(n)s masalah. Tidak ada yang disimpan.",
        "Berkas ditolak: %(n)s masalah. Tidak ada yang disimpan.",
    ),
    "Checked %(rows)s rows: %(new)s would be stored, %(old)s were imported before. Nothing was stored (check only).": "%(rows)s baris diperiksa: %(new)s akan disimpan, %(old)s sudah pernah diimpor. Tidak ada yang disimpan (hanya pemeriksaan).",
    "%(rows)s rows: %(new)s new responses stored, %(old)s were imported before.": "%(rows)s baris: %(new)s jawaban baru disimpan, %(old)s sudah pernah diimpor.",
    "Paper entry": "Entri formulir kertas",
    "Paper form entry": "Entri formulir kertas",
    "Entered today: %(entered_today)s.": "Dientri hari ini: %(entered_today)s.",
    "Type 1–4 for each element (the cursor moves on by itself), then Enter to save and start the next form.": "Ketik 1–4 untuk setiap unsur (kursor pindah sendiri), lalu Enter untuk menyimpan dan memulai formulir berikutnya.",
    "Save and next form": "Simpan dan formulir berikutnya",
    "IKM": "IKM",
    "Service quality": "Mutu pelayanan",
    "Respondents": "Responden",
    "The follow-up plan starts from the lowest elements:": "Rencana tindak lanjut dimulai dari unsur terendah:",
    "95%% confidence interval": "Selang kepercayaan 95%%",
    "sample target": "target sampel",
    "Community satisfaction survey": "Survei Kepuasan Masyarakat",
    "How was our service?": "Bagaimana pelayanan kami?",
    "Nine short questions, anonymous: we do not ask your name, NIK or phone number. It takes less than a minute.": "Sembilan pertanyaan singkat, tanpa identitas: kami tidak menanyakan nama, NIK, atau nomor telepon. Kurang dari satu menit.",
    "Survey code": "Kode survei",
    "About you (optional)": "Tentang Anda (boleh dikosongkan)",
    "Suggestion": "Saran",
    "Send": "Kirim",
    "Community satisfaction index": "Indeks Kepuasan Masyarakat",
    "Community satisfaction index (IKM)": "Indeks Kepuasan Masyarakat (IKM)",
    "%(n)s respondent": ("%(n)s responden", "%(n)s responden"),
    "Poster (PDF)": "Poster (PDF)",
    "Poster (PNG)": "Poster (PNG)",
    "Thank you": "Terima kasih",
    "Thank you!": "Terima kasih!",
    "Your answers have been received. They help us improve our service.": "Jawaban Anda sudah kami terima. Jawaban ini membantu kami memperbaiki pelayanan.",
    "A new form for the next person opens in a few seconds.": "Formulir baru untuk pengunjung berikutnya terbuka dalam beberapa detik.",
    "Fill in another form": "Isi formulir lagi",
    "Please wait a moment": "Mohon tunggu sebentar",
    "Many forms were sent from this device in the last minute. Please wait one minute and try again. Thank you for your patience.": "Banyak formulir terkirim dari perangkat ini dalam satu menit terakhir. Mohon tunggu satu menit lalu coba lagi. Terima kasih atas kesabaran Anda.",
    "Back to the form": "Kembali ke formulir",
    "Receipt codes": "Kode tanda terima",
    "Single-use survey codes": "Kode survei sekali pakai",
    "This service does not require codes yet: turn on “require a survey code from the receipt” in the service settings so the public form asks for one.": "Layanan ini belum mewajibkan kode: aktifkan “wajib kode survei dari tanda terima” pada pengaturan layanan agar formulir publik memintanya.",
    "Unused: %(unused)s · used: %(used)s": "Belum dipakai: %(unused)s · sudah dipakai: %(used)s",
    "Issue codes": "Terbitkan kode",
    "Print": "Cetak",
    "Print the unused codes and give one with each receipt; the citizen enters it on the form at": "Cetak kode yang belum dipakai dan berikan satu bersama setiap tanda terima; warga memasukkannya pada formulir di",
    "Periods": "Periode",
    "The interval crosses a grade edge: the grade is not certain with this sample.": "Selang kepercayaan melintasi batas mutu: mutu belum pasti dengan sampel ini.",
    "Krejcie–Morgan target: %(target)s (of %(users)s service users).": "Target Krejcie–Morgan: %(target)s (dari %(users)s pengguna layanan).",
    "reached": "tercapai",
    "not reached": "belum tercapai",
    "Enter the yearly service users of each service to see the sample target.": "Isi jumlah pengguna layanan per tahun pada setiap layanan untuk melihat target sampel.",
    "Previous period": "Periode sebelumnya",
    "No responses in the previous period.": "Tidak ada jawaban pada periode sebelumnya.",
    "Index per element": "Indeks per unsur",
    "Respondent profile": "Profil responden",
    "Groups with fewer than 5 respondents are not shown, so that nobody can be recognised.": "Kelompok dengan kurang dari 5 responden tidak ditampilkan agar tidak ada yang dapat dikenali.",
    "Age": "Umur",
    "Education": "Pendidikan",
    "Service": "Layanan",
    "Group": "Kelompok",
    "not stated": "tidak diisi",
    "Suggestions": "Saran",
    "No suggestions in this period.": "Tidak ada saran pada periode ini.",
    "Public page": "Halaman publik",
    "IKM poster (PDF)": "Poster IKM (PDF)",
    "IKM poster (PNG)": "Poster IKM (PNG)",
    "Edit service": "Ubah layanan",
    "New service": "Layanan baru",
    "Services": "Layanan",
    "Survey home": "Beranda survei",
    "Users per year": "Pengguna per tahun",
    "Public link": "Tautan publik",
    "inactive": "nonaktif",
    "receipt codes": "kode tanda terima",
    "QR poster": "Poster QR",
    "No services yet.": "Belum ada layanan.",
    "Satisfaction survey": "Survei kepuasan",
    "Satisfaction survey (SKM)": "Survei Kepuasan Masyarakat (SKM)",
    "Services, public form links and QR codes, paper entry, import, results (IKM) and follow-up per unit.": "Layanan, tautan formulir publik dan kode QR, entri formulir kertas, impor, hasil (IKM), dan tindak lanjut per unit.",
    "Unit": "Unit",
    "Results": "Hasil",
    "Follow-up": "Tindak lanjut",
    "Public survey links": "Tautan survei publik",
    "Link": "Tautan",
    "This unit already has a service with this code.": "Unit ini sudah memiliki layanan dengan kode ini.",
    "Service %(name)s saved.": "Layanan %(name)s disimpan.",
    "%(n)s new codes issued.": "%(n)s kode baru diterbitkan.",
    "This form has expired; please save it again.": "Formulir ini sudah kedaluwarsa; silakan simpan lagi.",
    "Form saved.": "Formulir disimpan.",
    "Responses": "Jawaban",
    "Follow-up saved.": "Tindak lanjut disimpan.",
}

STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def joined(lines: list[str], key: str) -> tuple[str | None, int, int]:
    """The string of the entry line starting with ``key`` and its continuation lines."""
    for i, line in enumerate(lines):
        if line.startswith(key + " "):
            j = i + 1
            while j < len(lines) and lines[j].startswith('"'):
                j += 1
            text = "".join(STRING.findall(" ".join(lines[i:j])))
            return text.encode().decode("unicode_escape").encode("latin-1").decode(), i, j
    return None, -1, -1


def fill(path: Path) -> list[str]:
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    missing: list[str] = []
    out = [blocks[0]]
    for block in blocks[1:]:
        lines = block.split("\n")
        msgid, _, _ = joined(lines, "msgid")
        if not msgid:
            out.append(block)
            continue
        value = ID.get(msgid)
        if value is None:
            missing.append(msgid)
            out.append(block)
            continue
        lines = [line for line in lines if line != "#, fuzzy" and not line.startswith("#|")]
        kept = [
            line
            for line in lines
            if not line.startswith("msgstr")
            and not (line.startswith('"') and _after_msgstr(lines, line))
        ]
        if isinstance(value, tuple):
            kept += [f"msgstr[0] {po_string(value[0])}", f"msgstr[1] {po_string(value[1])}"]
        else:
            kept.append(f"msgstr {po_string(value)}")
        out.append("\n".join(kept))
    path.write_text("\n\n".join(out), encoding="utf-8")
    return missing


def _after_msgstr(lines: list[str], line: str) -> bool:
    index = lines.index(line)
    for previous in reversed(lines[:index]):
        if not previous.startswith('"'):
            return previous.startswith("msgstr")
    return False


if __name__ == "__main__":
    po = Path(__file__).parent / "id" / "LC_MESSAGES" / "django.po"
    left = fill(po)
    if left:
        print("no translation for:", *left, sep="\n  ")
        sys.exit(1)
