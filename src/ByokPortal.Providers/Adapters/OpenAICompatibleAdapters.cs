using ByokPortal.Core.ProviderKeys;

namespace ByokPortal.Providers.Adapters;

/// <summary>OpenAI: <c>GET {base}/models</c> and the gateway's APIs at its base URL, Bearer key.</summary>
public sealed class OpenAIAdapter() : ApiKeyAdapter(ProviderKind.OpenAI, "https://api.openai.com/v1");

/// <summary>Mistral AI, OpenAI-compatible at its public base URL.</summary>
public sealed class MistralAdapter() : ApiKeyAdapter(ProviderKind.Mistral, "https://api.mistral.ai/v1");

/// <summary>xAI, OpenAI-compatible at its public base URL.</summary>
public sealed class XAIAdapter() : ApiKeyAdapter(ProviderKind.XAI, "https://api.x.ai/v1");

/// <summary>DeepSeek, OpenAI-compatible at its public base URL.</summary>
public sealed class DeepSeekAdapter() : ApiKeyAdapter(ProviderKind.DeepSeek, "https://api.deepseek.com/v1");

/// <summary>Z.AI, OpenAI-compatible at its public base URL.</summary>
public sealed class ZAIAdapter() : ApiKeyAdapter(ProviderKind.ZAI, "https://api.z.ai/api/paas/v4");

/// <summary>Minimax, OpenAI-compatible at its public base URL.</summary>
public sealed class MinimaxAdapter() : ApiKeyAdapter(ProviderKind.Minimax, "https://api.minimax.io/v1");

/// <summary>Ollama: a local server, the key optional, the base URL required (its default is only a suggestion).</summary>
public sealed class OllamaAdapter() : ApiKeyAdapter(ProviderKind.Ollama, null, credentialRequired: false,
    endpointPlaceholder: "http://localhost:11434/v1", endpointHelp: "Your Ollama server's OpenAI-compatible address, e.g. http://localhost:11434/v1.");

/// <summary>Any OpenAI-compatible server: base URL required, key optional.</summary>
public sealed class OpenAICompatibleAdapter() : ApiKeyAdapter(ProviderKind.OpenAICompatible, null, credentialRequired: false,
    endpointPlaceholder: "https://gateway.example.com/v1");
