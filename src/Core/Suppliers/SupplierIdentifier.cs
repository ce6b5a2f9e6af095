using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SupplierAssure.Core.Suppliers;

public enum SupplierIdentifierKind
{
    InternalId,
    Lei,
    Duns,
    Eori,
    Vat,
}

/// <summary>A validated, normalised identifier by which partners and people look a supplier up.</summary>
public readonly record struct SupplierIdentifier(SupplierIdentifierKind Kind, string Value)
{
    /// <summary>Validates and normalises <paramref name="raw"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryCreate(SupplierIdentifierKind kind, string? raw, out SupplierIdentifier identifier, [NotNullWhen(false)] out string? error)
    {
        identifier = default;
        var value = (raw ?? string.Empty).Trim().Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (value.Length == 0)
        {
            error = "An identifier value is required.";
            return false;
        }

        error = kind switch
        {
            SupplierIdentifierKind.InternalId => Guid.TryParse(value, out _) ? null : "Our supplier id is a UUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301.",
            SupplierIdentifierKind.Lei => ValidateLei(value),
            SupplierIdentifierKind.Duns => value.Replace("-", string.Empty, StringComparison.Ordinal) is { Length: 9 } d && d.All(char.IsAsciiDigit) ? null : "A DUNS number has exactly 9 digits.",
            SupplierIdentifierKind.Eori => ValidateCountryPrefixed(value, 1, 15, "An EORI number is a 2-letter country code followed by up to 15 letters or digits."),
            SupplierIdentifierKind.Vat => ValidateCountryPrefixed(value, 2, 13, "A VAT number is a 2-letter country code followed by 2 to 13 letters or digits."),
            _ => "Unknown identifier type.",
        };
        if (error is not null)
        {
            return false;
        }

        if (kind == SupplierIdentifierKind.Duns)
        {
            value = value.Replace("-", string.Empty, StringComparison.Ordinal);
        }
        else if (kind == SupplierIdentifierKind.InternalId)
        {
            value = Guid.Parse(value).ToString();
        }

        identifier = new SupplierIdentifier(kind, value);
        return true;
    }

    private static string? ValidateCountryPrefixed(string value, int minRest, int maxRest, string message)
    {
        if (value.Length < 2 + minRest || value.Length > 2 + maxRest)
        {
            return message;
        }

        return char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]) && value.Skip(2).All(char.IsAsciiLetterOrDigit)
            ? null
            : message;
    }

    // ISO 17442: 18 alphanumerics then 2 check digits; the whole code, letters mapped A=10..Z=35, is 1 mod 97.
    private static string? ValidateLei(string value)
    {
        const string message = "A LEI has 20 letters or digits whose last two are check digits (ISO 17442).";
        if (value.Length != 20 || !value.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiDigit(value[18]) || !char.IsAsciiDigit(value[19]))
        {
            return message;
        }

        var remainder = 0;
        foreach (var c in value)
        {
            var n = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = n >= 10 ? ((remainder * 100) + n) % 97 : ((remainder * 10) + n) % 97;
        }

        return remainder == 1 ? null : "The LEI's check digits do not match (ISO 17442).";
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind}:{Value}");
}
