namespace ByokPortal.Runtime.Gateway;

/// <summary>
/// Finds the token counts a provider reports as its answer streams through, without buffering it: OpenAI's <c>prompt_tokens</c> /
/// <c>completion_tokens</c> (chat completions, embeddings, the final <c>usage</c> chunk of a stream) and <c>input_tokens</c> /
/// <c>output_tokens</c> (the Responses API, Anthropic's messages and their stream events). The last value seen wins. Only a few bytes of
/// each chunk are kept, to find a count split between two chunks.
/// </summary>
public sealed class TokenUsageScanner
{
    private const int TailSize = 48;

    private static ReadOnlySpan<byte> PromptTokens => "\"prompt_tokens\""u8;

    private static ReadOnlySpan<byte> CompletionTokens => "\"completion_tokens\""u8;

    private static ReadOnlySpan<byte> InputTokens => "\"input_tokens\""u8;

    private static ReadOnlySpan<byte> OutputTokens => "\"output_tokens\""u8;

    private readonly byte[] _tail = new byte[TailSize];
    private int _tailLength;

    public int? Prompt { get; private set; }

    public int? Completion { get; private set; }

    public void Scan(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        if (_tailLength > 0)
        {
            // A count that started in the previous chunk.
            Span<byte> joined = stackalloc byte[TailSize * 2];
            var head = Math.Min(chunk.Length, TailSize);
            _tail.AsSpan(0, _tailLength).CopyTo(joined);
            chunk[..head].CopyTo(joined[_tailLength..]);
            Find(joined[..(_tailLength + head)]);
        }

        Find(chunk);
        Keep(chunk);
    }

    private void Keep(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= TailSize)
        {
            chunk[^TailSize..].CopyTo(_tail);
            _tailLength = TailSize;
            return;
        }

        var keep = Math.Min(_tailLength, TailSize - chunk.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        chunk.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + chunk.Length;
    }

    private void Find(ReadOnlySpan<byte> text)
    {
        if (Last(text, PromptTokens) is { } prompt)
        {
            Prompt = prompt;
        }

        if (Last(text, InputTokens) is { } input)
        {
            Prompt = input;
        }

        if (Last(text, CompletionTokens) is { } completion)
        {
            Completion = completion;
        }

        if (Last(text, OutputTokens) is { } output)
        {
            Completion = output;
        }
    }

    /// <summary>The last complete <c>"name": 123</c> in <paramref name="text"/>.</summary>
    private static int? Last(ReadOnlySpan<byte> text, ReadOnlySpan<byte> name)
    {
        int? found = null;
        var offset = 0;
        while (offset < text.Length)
        {
            var at = text[offset..].IndexOf(name);
            if (at < 0)
            {
                break;
            }

            var position = offset + at + name.Length;
            offset = position;
            position = SkipSpaces(text, position);
            if (position >= text.Length || text[position] != (byte)':')
            {
                continue;
            }

            position = SkipSpaces(text, position + 1);
            var start = position;
            long value = 0;
            while (position < text.Length && text[position] is >= (byte)'0' and <= (byte)'9' && position - start < 10)
            {
                value = (value * 10) + (text[position] - '0');
                position++;
            }

            // Digits running to the end may continue in the next chunk: that count is read from the joined text then.
            if (position > start && position < text.Length && value <= int.MaxValue)
            {
                found = (int)value;
            }
        }

        return found;
    }

    private static int SkipSpaces(ReadOnlySpan<byte> text, int position)
    {
        while (position < text.Length && text[position] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            position++;
        }

        return position;
    }
}
