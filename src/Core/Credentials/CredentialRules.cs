using System.Collections.Frozen;

namespace SupplierAssure.Core.Credentials;

/// <summary>
/// What a credential must look like before it is stored. Errors are keyed by the partner contract's field names
/// ("number", "level", ...), so the gateway can name them in its field violations as they are.
/// </summary>
public static class CredentialRules
{
    public const int MaxNumberLength = 50;
    public const int MaxTextLength = 300;

    /// <summary>
    /// Countries whose customs authorities issue EU AEO authorisations: the member states (Greece as "GR", the
    /// ISO code the EU's AEO numbers use) and XI, Northern Ireland under the Windsor Framework.
    /// </summary>
    public static readonly FrozenSet<string> AeoIssuingCountries = new[]
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
        "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] AeoKinds = ["AEOC", "AEOS", "AEOF"];
    private static readonly FrozenSet<string> FsrLevels = new[] { "A", "B", "C" }.ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenSet<string> TsrLevels = new[] { "1", "2", "3" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Upper case without spaces: how numbers are stored and compared.</summary>
    public static string NormaliseNumber(string? raw) =>
        (raw ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();

    /// <summary>The AEO kind (AEOC, AEOS or AEOF) in a normalised, valid EU AEO number.</summary>
    public static string AeoKindOf(string number) => number.Substring(2, 4);

    /// <summary>The issuing country (ISO 3166-1 alpha-2) of a normalised, valid EU AEO number.</summary>
    public static string AeoCountryOf(string number) => number[..2];

    /// <summary>Checks a submission; an empty dictionary means it may be stored.</summary>
    public static Dictionary<string, string[]> Validate(
        CredentialType type, string number, string? level, DateTimeOffset? validFrom, DateTimeOffset? validUntil, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!Enum.IsDefined(type))
        {
            errors["type"] = ["Say which credential this is: EU_AEO, C_TPAT, TAPA_FSR, TAPA_TSR, ISO_28000, ISO_IEC_27001 or EORI."];
            return errors;
        }

        if (NumberError(type, number) is { } numberError)
        {
            errors["number"] = [numberError];
        }

        if (LevelError(type, level) is { } levelError)
        {
            errors["level"] = [levelError];
        }

        if (validFrom is { } from && validUntil is { } until && until <= from)
        {
            errors["valid_until"] = ["The credential must end after it starts."];
        }
        else if (validUntil is { } end && end <= now)
        {
            errors["valid_until"] = ["The credential has already expired."];
        }

        return errors;
    }

    private static string? NumberError(CredentialType type, string number)
    {
        if (number.Length == 0)
        {
            return "A credential number is required.";
        }

        if (number.Length > MaxNumberLength)
        {
            return $"A credential number has at most {MaxNumberLength} characters.";
        }

        return type switch
        {
            CredentialType.EuAeo => AeoNumberError(number),
            CredentialType.Eori => EoriNumberError(number),
            CredentialType.CTpat => number.Length >= 4 && number.All(char.IsAsciiLetterOrDigit)
                ? null
                : "A C-TPAT account or SVI number has at least 4 letters or digits.",
            _ => number.Length >= 3 && number.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or '.')
                ? null
                : "A certificate number has at least 3 letters, digits, '-', '/' or '.'.",
        };
    }

    // Issuing country + AEOC/AEOS/AEOF + the national number, e.g. DEAEOF1234567.
    private static string? AeoNumberError(string number)
    {
        const string shape = "An EU AEO number is the issuing country code, AEOC, AEOS or AEOF, then the national number (e.g. DEAEOF1234567).";
        if (number.Length < 7 || !number.All(char.IsAsciiLetterOrDigit))
        {
            return shape;
        }

        if (!AeoIssuingCountries.Contains(AeoCountryOf(number)))
        {
            return $"'{AeoCountryOf(number)}' does not issue EU AEO authorisations; the number starts with an EU member state's code or XI.";
        }

        return AeoKinds.Contains(AeoKindOf(number), StringComparer.Ordinal) ? null : shape;
    }

    // Country code (two letters) then up to 15 letters or digits, e.g. DE123456789012345 (the EU's EORI format).
    private static string? EoriNumberError(string number) =>
        number.Length is >= 3 and <= 17 && char.IsAsciiLetterUpper(number[0]) && char.IsAsciiLetterUpper(number[1])
            && number.Skip(2).All(char.IsAsciiLetterOrDigit)
            ? null
            : "An EORI number is a two-letter country code, then up to 15 letters or digits (e.g. DE123456789012345).";

    /// <summary>The country code of a normalised, valid EORI number.</summary>
    public static string EoriCountryOf(string number) => number[..2];

    private static string? LevelError(CredentialType type, string? level) => type switch
    {
        CredentialType.TapaFsr => level is not null && FsrLevels.Contains(level) ? null : "A TAPA FSR certificate has level A, B or C.",
        CredentialType.TapaTsr => level is not null && TsrLevels.Contains(level) ? null : "A TAPA TSR certificate has level 1, 2 or 3.",
        _ => string.IsNullOrEmpty(level) ? null : "Only TAPA certificates have a level.",
    };
}
