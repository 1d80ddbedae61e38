"""The register imports: councils, contacts, populations and successions from CSV
(`import_councils`, `import_contacts`, `import_populations`, `import_successions`). The
decisions import is complaints.importing; both read their files through ombudsman.csvio (the
same header, line and cell checks).

Each is an idempotent upsert by GSS code: it validates the whole file first and writes
nothing if any row is bad (ImportFailed lists every error by line and column); rows whose
values are unchanged are not written at all, so re-importing a file changes nothing and adds
no history. A council's name and formal name are read with each run of spaces as one
(ombudsman.validators.collapse_spaces), so a doubled space in a file never reaches a letter.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from councils.models import (
    GSS_CODE_RE,
    AuthorityType,
    Contact,
    ContactRole,
    Council,
    Population,
    Succession,
)
from councils.services import changed_fields, contact_set
from ombudsman.auth import canonical_email, validate_canonical_email
from ombudsman.csvio import ImportFailed, RowError, parse_date, read_csv
from ombudsman.validators import collapse_spaces, validate_single_line


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


COUNCIL_COLUMNS = ["gss_code", "name", "authority_type", "county_gss_code", "region", "active_from", "active_to"]
FORMAL_NAME_COLUMNS = ["gss_code", "formal_name"]


def _too_long(model, line: int, row: dict, columns: tuple[str, ...]) -> list[RowError]:
    """A row error per cell longer than its model field allows."""
    errors = []
    for column in columns:
        limit = model._meta.get_field(column).max_length
        if len(row.get(column, "")) > limit:
            errors.append(RowError(line, column, f"longer than {limit} characters"))
    return errors


def _model_errors(line: int, error: ValidationError, columns: dict[str, str]) -> list[RowError]:
    """A model's own validation (the backstop after the checks above) as errors of one row."""
    return [
        RowError(line, columns.get(field, ""), message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


def formal_names_read(data: bytes | str) -> dict[str, str]:
    """The title each council uses, by GSS code, from a `gss_code,formal_name` file (such as
    ../shared/data/formal_names.csv). Raises ImportFailed listing every bad line."""
    table = read_csv(data, required=FORMAL_NAME_COLUMNS)
    errors = list(table.errors)
    names: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for line, row in table.rows:
        code, name = row["gss_code"].upper(), collapse_spaces(row["formal_name"])
        if not GSS_CODE_RE.match(code):
            errors.append(RowError(line, "gss_code", f"{row['gss_code']!r} is not a GSS code (e.g. E07000129)"))
        elif code in first_line:
            errors.append(
                RowError(line, "gss_code", f"{code} appears more than once (first on line {first_line[code]})")
            )
        if not name:
            errors.append(RowError(line, "formal_name", "is empty"))
        errors.extend(_too_long(Council, line, {"formal_name": name}, ("formal_name",)))
        try:
            validate_single_line(name)
        except ValidationError as error:
            errors.extend(RowError(line, "formal_name", message) for message in error.messages)
        first_line.setdefault(code, line)
        names[code] = name
    if errors:
        raise ImportFailed(errors)
    return names


def councils_import(data: bytes | str, *, formal_names: dict[str, str] | None = None) -> ImportResult:
    """Create or update councils from a register file (see COUNCIL_COLUMNS, optional formal_name).

    A council's formal name comes from the file's formal_name column, else from `formal_names`
    (formal_names_read); a name given either way is applied to an existing council too. With
    neither, an existing council keeps its name and a new one is named by its ONS name until
    staff edit it: no rule guesses titles (a district may be a city or a borough).
    """
    formal_names = formal_names or {}
    table = read_csv(data, required=COUNCIL_COLUMNS, optional=["formal_name"])
    errors = list(table.errors)
    parsed: dict[str, tuple[int, dict, str]] = {}
    county_refs: list[tuple[int, str, str]] = []
    type_values = ", ".join(AuthorityType.values)

    for line, row in table.rows:
        row_errors = []
        row = row | {column: collapse_spaces(row[column]) for column in ("name", "formal_name") if column in row}
        code = row["gss_code"].upper()
        if not GSS_CODE_RE.match(code):
            row_errors.append(
                RowError(
                    line,
                    "gss_code",
                    f"{row['gss_code']!r} is not a GSS code (a capital letter and 8 digits, e.g. E07000129)",
                )
            )
        elif code in parsed:
            row_errors.append(
                RowError(line, "gss_code", f"{code} appears more than once (first on line {parsed[code][0]})")
            )
        if not row["name"]:
            row_errors.append(RowError(line, "name", "is empty"))
        row_errors.extend(_too_long(Council, line, row, ("name", "region", "formal_name")))
        authority_type = row["authority_type"].lower()
        if authority_type not in AuthorityType.values:
            row_errors.append(
                RowError(line, "authority_type", f"{row['authority_type']!r} is not one of {type_values}")
            )
        elif GSS_CODE_RE.match(code) and AuthorityType.for_gss_code(code) != authority_type:
            expected = AuthorityType.for_gss_code(code)
            row_errors.append(
                RowError(
                    line,
                    "authority_type",
                    f"{authority_type} does not match code {code}, which is a {expected.label.lower()} code",
                )
            )
        dates = {}
        for column in ("active_from", "active_to"):
            try:
                dates[column] = parse_date(row[column]) if row[column] else None
            except ValueError as exc:
                row_errors.append(RowError(line, column, str(exc)))
        if dates.get("active_from") and dates.get("active_to") and dates["active_to"] < dates["active_from"]:
            row_errors.append(RowError(line, "active_to", "is before active_from"))
        county_code = row["county_gss_code"].upper()
        if county_code and authority_type == AuthorityType.COUNTY:
            row_errors.append(RowError(line, "county_gss_code", "a county council does not belong to a county"))
        elif county_code:
            county_refs.append((line, code, county_code))
        if row_errors:
            errors.extend(row_errors)
            continue
        values = {
            "name": row["name"],
            "authority_type": authority_type,
            "region": row["region"],
            "active_from": dates["active_from"],
            "active_to": dates["active_to"],
        }
        parsed[code] = (line, values, row.get("formal_name", "") or collapse_spaces(formal_names.get(code, "")))

    existing = {council.gss_code: council for council in Council.objects.all()}
    for line, code, county_code in county_refs:
        county_type = None
        if county_code in parsed:
            county_type = parsed[county_code][1]["authority_type"]
        elif county_code in existing:
            county_type = existing[county_code].authority_type
        if county_type is None:
            errors.append(
                RowError(line, "county_gss_code", f"{county_code} is not a council in this file or the register")
            )
        elif county_type != AuthorityType.COUNTY:
            errors.append(RowError(line, "county_gss_code", f"{county_code} is not a county council"))
        elif code in parsed:
            parsed[code][1]["county_code"] = county_code
    if errors:
        raise ImportFailed(errors)

    result = ImportResult()
    with transaction.atomic():
        # Counties first, so districts can point at them.
        ordered = sorted(parsed.items(), key=lambda item: item[1][1]["authority_type"] != AuthorityType.COUNTY)
        councils = dict(existing)
        for code, (line, values, formal_name) in ordered:
            county_code = values.pop("county_code", None)
            values["county"] = councils[county_code] if county_code else None
            council = councils.get(code)
            if council is None:
                values["formal_name"] = formal_name or values["name"]
                council = Council(gss_code=code, **values)
                _full_clean(council, line)
                council.save()
                councils[code] = council
                result.created += 1
                continue
            if formal_name:
                values["formal_name"] = formal_name
            changed = changed_fields(council, values)
            if not changed:
                result.unchanged += 1
                continue
            for name in changed:
                setattr(council, name, values[name])
            _full_clean(council, line)
            council.save(update_fields=[*changed, "updated_at"])
            result.updated += 1
    return result


COUNCIL_FIELD_COLUMNS = {name: name for name in COUNCIL_COLUMNS} | {
    "county": "county_gss_code",
    "formal_name": "formal_name",
}


def _full_clean(council: Council, line: int) -> None:
    """Inside the import's transaction: a failure rolls back everything written so far."""
    try:
        council.full_clean()
    except ValidationError as error:
        raise ImportFailed(_model_errors(line, error, COUNCIL_FIELD_COLUMNS)) from None


CONTACT_COLUMNS = ["gss_code", "role", "title", "first_name", "last_name", "job_title", "email"]


def _unknown_council(line: int, row: dict, councils) -> list[RowError]:
    """The row's error when its gss_code is not a council in the register (`councils` keyed by code)."""
    if row["gss_code"].upper() in councils:
        return []
    return [RowError(line, "gss_code", f"{row['gss_code']!r} is not a council in the register")]


def contacts_import(data: bytes | str) -> ImportResult:
    """Set each council's contact of each role; a different email replaces the old contact."""
    table = read_csv(data, required=CONTACT_COLUMNS)
    errors = list(table.errors)
    councils = {council.gss_code: council for council in Council.objects.all()}
    seen: dict[tuple[str, str], int] = {}
    parsed = []
    for line, row in table.rows:
        row_errors = []
        code = row["gss_code"].upper()
        row_errors.extend(_unknown_council(line, row, councils))
        role = row["role"].lower()
        if role not in ContactRole.values:
            row_errors.append(RowError(line, "role", f"{row['role']!r} is not one of {', '.join(ContactRole.values)}"))
        elif (code, role) in seen:
            row_errors.append(RowError(line, "role", f"{code} already has a {role} on line {seen[(code, role)]}"))
        else:
            seen[(code, role)] = line
        row_errors.extend(_too_long(Contact, line, row, ("title", "first_name", "last_name", "job_title", "email")))
        for column in ("first_name", "last_name"):
            if not row[column]:
                row_errors.append(RowError(line, column, "is empty"))
        try:
            validate_email(row["email"])
            validate_canonical_email(canonical_email(row["email"]))
        except ValidationError:
            row_errors.append(RowError(line, "email", f"{row['email']!r} is not an email address"))
        if row_errors:
            errors.extend(row_errors)
            continue
        values = {key: row[key] for key in ("title", "first_name", "last_name", "job_title")}
        values["email"] = canonical_email(row["email"])
        parsed.append((line, councils[code], role, values))
    if errors:
        raise ImportFailed(errors)

    current = {(contact.council_id, contact.role): contact for contact in Contact.objects.filter(is_current=True)}
    result = ImportResult()
    with transaction.atomic():
        for line, council, role, values in parsed:
            contact = current.get((council.pk, role))
            if contact is not None and contact.email == values["email"]:
                changed = changed_fields(contact, values)
                if changed:
                    for name in changed:
                        setattr(contact, name, values[name])
                    contact.save(update_fields=[*changed, "updated_at"])
                    result.updated += 1
                else:
                    result.unchanged += 1
                continue
            try:
                contact_set(council=council, role=role, **values)
            except ValidationError as error:  # the model's backstop; the transaction rolls back
                raise ImportFailed(_model_errors(line, error, {name: name for name in CONTACT_COLUMNS})) from None
            result.created += 1
    return result


POPULATION_COLUMNS = ["gss_code", "year", "population"]


def populations_import(data: bytes | str) -> ImportResult:
    table = read_csv(data, required=POPULATION_COLUMNS)
    errors = list(table.errors)
    councils = {council.gss_code: council.pk for council in Council.objects.all()}
    seen: dict[tuple[str, int], int] = {}
    parsed = []
    for line, row in table.rows:
        row_errors = []
        code = row["gss_code"].upper()
        row_errors.extend(_unknown_council(line, row, councils))
        year = population = None
        if row["year"].isascii() and row["year"].isdigit() and 1981 <= int(row["year"]) <= 2100:
            year = int(row["year"])
        else:
            row_errors.append(RowError(line, "year", f"{row['year']!r} is not a year from 1981 to 2100"))
        cleaned = row["population"].replace(",", "")
        if cleaned.isascii() and cleaned.isdigit() and 0 < int(cleaned) < 2**31:
            population = int(cleaned)
        else:
            row_errors.append(RowError(line, "population", f"{row['population']!r} is not a positive whole number"))
        if year is not None and (code, year) in seen:
            row_errors.append(
                RowError(line, "year", f"{code} already has a population for {year} on line {seen[(code, year)]}")
            )
        elif year is not None:
            seen[(code, year)] = line
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.append((councils[code], year, population))
    if errors:
        raise ImportFailed(errors)

    existing = {(p.council_id, p.year): p for p in Population.objects.all()}
    result = ImportResult()
    to_create, to_update = [], []
    for council_id, year, population in parsed:
        row = existing.get((council_id, year))
        if row is None:
            to_create.append(Population(council_id=council_id, year=year, population=population))
        elif row.population != population:
            row.population = population
            to_update.append(row)
        else:
            result.unchanged += 1
    with transaction.atomic():
        Population.objects.bulk_create(to_create, batch_size=2000)
        Population.objects.bulk_update(to_update, ["population"], batch_size=2000)
    result.created, result.updated = len(to_create), len(to_update)
    return result


SUCCESSION_COLUMNS = ["predecessor_gss_code", "successor_gss_code", "on"]


def successions_import(data: bytes | str) -> ImportResult:
    """Load predecessor -> successor pairs (`data/successions.csv`). Both councils must be in the
    register, the successor's first day is `on` and the predecessor's last day the day before.
    Upsert by pair: a changed date is updated, an unchanged row is not written."""
    table = read_csv(data, required=SUCCESSION_COLUMNS)
    errors = list(table.errors)
    councils = {council.gss_code: council for council in Council.objects.all()}
    seen: dict[tuple[str, str], int] = {}
    parsed = []
    for line, row in table.rows:
        row_errors = []
        found = {}
        for column in ("predecessor_gss_code", "successor_gss_code"):
            code = row[column].upper()
            if code not in councils:
                row_errors.append(RowError(line, column, f"{row[column]!r} is not a council in the register"))
            else:
                found[column] = councils[code]
        on = None
        try:
            on = parse_date(row["on"])
        except ValueError as exc:
            row_errors.append(RowError(line, "on", str(exc)))
        predecessor, successor = found.get("predecessor_gss_code"), found.get("successor_gss_code")
        if predecessor and successor and on:
            pair = (predecessor.gss_code, successor.gss_code)
            if predecessor == successor:
                row_errors.append(RowError(line, "successor_gss_code", "a council cannot succeed itself"))
            elif pair in seen:
                row_errors.append(RowError(line, "successor_gss_code", f"the same pair is on line {seen[pair]}"))
            seen.setdefault(pair, line)
            if successor.active_from and successor.active_from != on:
                row_errors.append(
                    RowError(line, "on", f"{successor.gss_code}'s first day in the register is {successor.active_from}")
                )
            if predecessor.active_to is None or predecessor.active_to >= on:
                row_errors.append(
                    RowError(
                        line,
                        "predecessor_gss_code",
                        f"{predecessor.gss_code} is still active on {on} in the register (it must end the day before)",
                    )
                )
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.append((predecessor, successor, on))
    if errors:
        raise ImportFailed(errors)

    existing = {(s.predecessor_id, s.successor_id): s for s in Succession.objects.all()}
    result = ImportResult()
    with transaction.atomic():
        for predecessor, successor, on in parsed:
            succession = existing.get((predecessor.pk, successor.pk))
            if succession is None:
                succession = Succession(predecessor=predecessor, successor=successor, on=on)
                succession.full_clean()
                succession.save()
                result.created += 1
            elif succession.on != on:
                succession.on = on
                succession.save(update_fields=["on"])
                result.updated += 1
            else:
                result.unchanged += 1
    return result
