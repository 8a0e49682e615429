using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ByokPortal.Persistence.Tests;

/// <summary>No SQL Server is reachable here: its migrations are proven by T-SQL that generates in-process and parses (ScriptDom).</summary>
public sealed class SqlServerScriptTests
{
    internal static SqlServerPortalDbContext CreateSqlServerContext() =>
        new(new DbContextOptionsBuilder<SqlServerPortalDbContext>()
            .UseSqlServer("Server=localhost;Database=x;Integrated Security=true")
            .Options);

    [Theory]
    [InlineData(MigrationsSqlGenerationOptions.Idempotent)]
    [InlineData(MigrationsSqlGenerationOptions.Default)]
    public void GenerateScript_SqlServer_ParsesAsTSqlWithoutErrors(MigrationsSqlGenerationOptions options)
    {
        var script = GenerateScript(options);

        var fragment = Parse(script, out var errors);

        Assert.True(errors.Count == 0, FormatErrors(errors, script));
        Assert.NotEmpty(((TSqlScript)fragment).Batches);
    }

    [Theory]
    [InlineData(MigrationsSqlGenerationOptions.Idempotent)]
    [InlineData(MigrationsSqlGenerationOptions.Default)]
    public void GenerateScript_SqlServer_ExecutedSqlInsideTheScriptParsesToo(MigrationsSqlGenerationOptions options)
    {
        // The idempotent script wraps some statements in EXEC(N'…'); the parser sees those as string literals, so parse them on their own.
        var script = GenerateScript(options);
        var dynamicSql = Collect(Parse(script, out _)).DynamicSql;
        if (options == MigrationsSqlGenerationOptions.Idempotent)
        {
            Assert.NotEmpty(dynamicSql); // at least the filtered unique index on People.ExternalObjectId
        }

        foreach (var sql in dynamicSql)
        {
            Parse(sql, out var errors);
            Assert.True(errors.Count == 0, FormatErrors(errors, sql));
        }
    }

    [Theory]
    [InlineData(MigrationsSqlGenerationOptions.Idempotent)]
    [InlineData(MigrationsSqlGenerationOptions.Default)]
    public void GenerateScript_SqlServer_CreatesEveryTableOfTheModel(MigrationsSqlGenerationOptions options)
    {
        using var db = CreateSqlServerContext();
        var script = GenerateScript(options);
        var visitor = Collect(Parse(script, out _));
        var created = visitor.CreatedTables
            .Concat(visitor.DynamicSql.SelectMany(sql => Collect(Parse(sql, out _)).CreatedTables))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var expected = MigrationTests.ModelTables(db).Append("__EFMigrationsHistory").ToList();

        Assert.Equal(expected.Count, expected.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(expected, table => Assert.Contains(table, created));
        Assert.Equal(expected.Order(StringComparer.OrdinalIgnoreCase), created.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void GenerateScript_Idempotent_GuardsEveryMigrationWithTheHistoryTable()
    {
        using var db = CreateSqlServerContext();
        var script = GenerateScript(MigrationsSqlGenerationOptions.Idempotent);

        foreach (var migration in db.Database.GetMigrations())
        {
            Assert.Contains($"WHERE [MigrationId] = N'{migration}'", script, StringComparison.Ordinal);
        }
    }

    private static string GenerateScript(MigrationsSqlGenerationOptions options)
    {
        using var db = CreateSqlServerContext();
        return db.GetService<IMigrator>().GenerateScript(options: options);
    }

    internal static TSqlFragment Parse(string sql, out IList<ParseError> errors)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        return parser.Parse(reader, out errors);
    }

    private static TableCollector Collect(TSqlFragment fragment)
    {
        var collector = new TableCollector();
        fragment.Accept(collector);
        return collector;
    }

    internal static string FormatErrors(IList<ParseError> errors, string sql)
    {
        var lines = sql.Split('\n');
        return string.Join(Environment.NewLine, errors.Select(e =>
            $"Line {e.Line}, column {e.Column}: {e.Message} near: {(e.Line - 1 < lines.Length ? lines[e.Line - 1].Trim() : "")}"));
    }

    private sealed class TableCollector : TSqlFragmentVisitor
    {
        public List<string> CreatedTables { get; } = [];

        public List<string> DynamicSql { get; } = [];

        public override void ExplicitVisit(CreateTableStatement node)
        {
            CreatedTables.Add(node.SchemaObjectName.BaseIdentifier.Value);
            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(ExecutableStringList node)
        {
            var literals = node.Strings.OfType<StringLiteral>().ToList();
            if (literals.Count == node.Strings.Count)
            {
                DynamicSql.Add(string.Concat(literals.Select(l => l.Value)));
            }

            base.ExplicitVisit(node);
        }
    }
}
