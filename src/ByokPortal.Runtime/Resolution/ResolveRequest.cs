using System.Text;
using System.Text.Json;
using ByokPortal.Core.CustomModels;

namespace ByokPortal.Runtime.Resolution;

/// <summary>
/// Reads the <c>model</c> of a request body: <c>POST /api/v1/resolve</c>'s <c>{"model":"…"}</c> (nothing else allowed), or the top-level
/// <c>model</c> of an OpenAI or Anthropic request the gateway passes through unchanged (other fields are the provider's business).
/// Writes the model into the caller's buffer, so reading it allocates nothing.
/// </summary>
public static class ModelField
{
    /// <summary>Long enough for any model ID the portal stores (longer ones cannot be available).</summary>
    public const int MaxLength = CustomModel.ModelIdMaxLength;

    /// <returns>Null when the model was read into <paramref name="destination"/> (<paramref name="length"/> chars), else what is wrong.</returns>
    public static string? TryRead(ReadOnlySpan<byte> json, bool strict, Span<char> destination, out int length)
    {
        length = 0;
        var found = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "The body must be a JSON object.";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("model"u8))
                {
                    if (strict)
                    {
                        return $"Unknown field '{reader.GetString()}': the body is {{\"model\":\"…\"}}.";
                    }

                    reader.Read();
                    reader.Skip();
                    continue;
                }

                if (found)
                {
                    return "'model' appears more than once.";
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return "'model' must be a string.";
                }

                found = true;
                var raw = reader.ValueIsEscaped || reader.HasValueSequence ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
                if (Encoding.UTF8.GetCharCount(raw) > MaxLength)
                {
                    return $"'model' must be at most {MaxLength} characters.";
                }

                length = Encoding.UTF8.GetChars(raw, destination);
                if (length == 0 || destination[..length].IsWhiteSpace())
                {
                    return "'model' must not be empty.";
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return "The body is not valid JSON.";
            }
        }
        catch (JsonException)
        {
            return "The body is not valid JSON.";
        }

        return found ? null : "The body must name a 'model'.";
    }
}
