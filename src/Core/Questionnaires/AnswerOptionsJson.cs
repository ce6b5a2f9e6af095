using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SupplierAssure.Core.Questionnaires;

/// <summary>
/// Stores a question's options as one JSON column: they are always read with the question and never queried on
/// their own, so a child table would only add joins.
/// </summary>
internal static class AnswerOptionsJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly ValueConverter<List<AnswerOption>, string> Converter = new(
        options => JsonSerializer.Serialize(options, Json),
        json => JsonSerializer.Deserialize<List<AnswerOption>>(json, Json) ?? new List<AnswerOption>());

    public static readonly ValueComparer<List<AnswerOption>> Comparer = new(
        (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
        list => list.Aggregate(0, (hash, option) => HashCode.Combine(hash, option.GetHashCode())),
        list => list.ToList());
}
