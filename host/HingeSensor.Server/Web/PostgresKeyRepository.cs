using System.Collections.Generic;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace HingeSensor.Server.Web
{
    /// <summary>
    /// The data-protection key ring (what signs and encrypts sign-in cookies and antiforgery tokens)
    /// kept in the database: every server on it accepts the others' cookies, and a restart signs
    /// nobody out. Whoever can read the database can read these keys, as they can read everything else in it.
    /// </summary>
    internal sealed class PostgresKeyRepository : IXmlRepository
    {
        private readonly NpgsqlDataSource _db;

        public PostgresKeyRepository(NpgsqlDataSource db) => _db = db;

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            var keys = new List<XElement>();
            using NpgsqlCommand c = _db.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY id");
            using NpgsqlDataReader r = c.ExecuteReader();
            while (r.Read()) keys.Add(XElement.Parse(r.GetString(0)));
            return keys;
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using NpgsqlCommand c = _db.CreateCommand("INSERT INTO data_protection_keys (name, xml) VALUES ($1, $2)");
            c.Parameters.AddWithValue(friendlyName);
            c.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
            c.ExecuteNonQuery();
        }
    }
}
