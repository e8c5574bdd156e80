package dev.bifrost.capture.ingest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes SINARM files in the exact published format ({@code ;}-separated, ISO-8859-1, CRLF, one header row
 * with accents and quotes in some names) with realistic values: Brazilian municipalities and UFs, firearm
 * species, brands and calibres, with accents, blanks, odd spacing and odd case. Deterministic for a seed.
 *
 * <p>{@code main} regenerates the committed samples in {@code src/main/resources/sinarm/}; the benchmark uses
 * {@link #registros(Path, int, int, long)} for a million rows.
 */
final class SinarmSamples {

    static final int REGISTROS_ROWS = 3000;
    static final int PORTES_ROWS = 2000;
    static final int OCORRENCIAS_ROWS = 2500;
    /** The data rows (0-based) of the registros sample that are bad, and so the file lines 2 past them. */
    static final List<Integer> BAD_REGISTROS = List.of(100, 1000, 2500);

    static final String REGISTROS_HEADER =
            "ANO_EMISSAO;MES_EMISSAO;UF;\"MUNICÍPIO\";STATUS_REGISTRO;ESPÉCIE_ARMA;MARCA_ARMA;CALIBRE_ARMA;SEXO;"
                    + "CATEGORIA;TOTAL";
    static final String PORTES_HEADER =
            "ANO_EMISSAO;MES_MISSAO;UF;MUNICIPIO;TIPO;STATUS;\"ABRANGÊNCIA\";ESPECIE_ARMA;MARCA_ARMA;CALIBRE_ARMA;"
                    + "SEXO;TOTAL";
    static final String OCORRENCIAS_HEADER =
            "ANO_OCORRENCIA;MES_OCORRENCIA;UF;MUNICÍPIO;ESPECIE_ARMA;MARCA_ARMA;CALIBRE_ARMA;TIPO_OCORRÊNCIA;"
                    + "MAIS_1000_MIL_HAB;TOTAL";

    /** UF, municipality, more than a million inhabitants. */
    private record Place(String uf, String municipio, boolean big) {
    }

    private static final List<Place> PLACES = List.of(
            new Place("SP", "SÃO PAULO", true), new Place("SP", "CAMPINAS", true), new Place("SP", "SANTOS", false),
            new Place("SP", "RIBEIRÃO PRETO", false), new Place("SP", "SÃO JOSÉ DOS CAMPOS", false),
            new Place("SP", "SOROCABA", false), new Place("SP", "GUARULHOS", true), new Place("SP", "JUNDIAÍ", false),
            new Place("SP", "BAURU", false), new Place("SP", "SÃO CARLOS", false),
            new Place("RJ", "RIO DE JANEIRO", true), new Place("RJ", "NITERÓI", false),
            new Place("RJ", "PETRÓPOLIS", false), new Place("RJ", "DUQUE DE CAXIAS", false),
            new Place("RJ", "NOVA IGUAÇU", false), new Place("MG", "BELO HORIZONTE", true),
            new Place("MG", "UBERLÂNDIA", false), new Place("MG", "CONTAGEM", false),
            new Place("MG", "JUIZ DE FORA", false), new Place("MG", "MONTES CLAROS", false),
            new Place("MG", "GOVERNADOR VALADARES", false), new Place("RS", "PORTO ALEGRE", true),
            new Place("RS", "CAXIAS DO SUL", false), new Place("RS", "PELOTAS", false),
            new Place("RS", "SANTA MARIA", false), new Place("RS", "PASSO FUNDO", false),
            new Place("PR", "CURITIBA", true), new Place("PR", "LONDRINA", false), new Place("PR", "MARINGÁ", false),
            new Place("PR", "FOZ DO IGUAÇU", false), new Place("PR", "CASCAVEL", false),
            new Place("SC", "FLORIANÓPOLIS", false), new Place("SC", "JOINVILLE", false),
            new Place("SC", "BLUMENAU", false), new Place("SC", "CHAPECÓ", false),
            new Place("BA", "SALVADOR", true), new Place("BA", "FEIRA DE SANTANA", false),
            new Place("BA", "VITÓRIA DA CONQUISTA", false), new Place("BA", "ILHÉUS", false),
            new Place("PE", "RECIFE", true), new Place("PE", "OLINDA", false), new Place("PE", "CARUARU", false),
            new Place("PE", "JABOATÃO DOS GUARARAPES", false), new Place("CE", "FORTALEZA", true),
            new Place("CE", "JUAZEIRO DO NORTE", false), new Place("GO", "GOIÂNIA", true),
            new Place("GO", "ANÁPOLIS", false), new Place("GO", "APARECIDA DE GOIÂNIA", false),
            new Place("DF", "BRASÍLIA", true), new Place("PA", "BELÉM", true), new Place("PA", "SANTARÉM", false),
            new Place("PA", "MARABÁ", false), new Place("AM", "MANAUS", true), new Place("MT", "CUIABÁ", false),
            new Place("MT", "VÁRZEA GRANDE", false), new Place("MT", "RONDONÓPOLIS", false),
            new Place("MS", "CAMPO GRANDE", false), new Place("MS", "DOURADOS", false),
            new Place("ES", "VITÓRIA", false), new Place("ES", "VILA VELHA", false),
            new Place("PB", "JOÃO PESSOA", false), new Place("PB", "CAMPINA GRANDE", false),
            new Place("RN", "NATAL", false), new Place("RN", "MOSSORÓ", false), new Place("AL", "MACEIÓ", false),
            new Place("SE", "ARACAJU", false), new Place("PI", "TERESINA", false), new Place("MA", "SÃO LUÍS", true),
            new Place("MA", "IMPERATRIZ", false), new Place("TO", "PALMAS", false),
            new Place("RO", "PORTO VELHO", false), new Place("RO", "ALTA FLORESTA D'OESTE", false),
            new Place("AC", "RIO BRANCO", false), new Place("AP", "MACAPÁ", false),
            new Place("RR", "BOA VISTA", false));

    private static final List<String> ESPECIES =
            List.of("PISTOLA", "PISTOLA", "PISTOLA", "REVÓLVER", "REVÓLVER", "ESPINGARDA", "CARABINA", "FUZIL",
                    "RIFLE", "GARRUCHA");
    private static final List<String> MARCAS =
            List.of("TAURUS", "TAURUS", "TAURUS", "CBC", "CBC", "GLOCK", "GLOCK", "ROSSI", "IMBEL",
                    "SMITH & WESSON", "BERETTA", "CZ", "SIG SAUER", "BOITO", "HECKLER & KOCH", "RUGER", "COLT",
                    "E.R. AMANTINO", "MOSSBERG", "WALTHER");
    private static final List<String> CALIBRES =
            List.of(".380", ".380", ".380", "9MM", "9MM", ".38", ".38", ".40", ".22", ".32", "12", ".357", ".45",
                    "5,56", "7,62", "20", "28", "36");
    private static final List<String> STATUS_REGISTRO =
            List.of("ATIVO", "ATIVO", "ATIVO", "VENCIDO", "CANCELADO", "SUSPENSO");
    private static final List<String> CATEGORIAS =
            List.of("CIDADÃO", "CIDADÃO", "CIDADÃO", "CAÇADOR", "ATIRADOR DESPORTIVO", "COLECIONADOR",
                    "SERVIDOR PÚBLICO", "EMPRESA DE SEGURANÇA PRIVADA", "MAGISTRADO", "MEMBRO DO MINISTÉRIO PÚBLICO",
                    "POLICIAL CIVIL", "GUARDA MUNICIPAL");
    private static final List<String> TIPOS_PORTE =
            List.of("DEFESA PESSOAL", "DEFESA PESSOAL", "FUNCIONAL", "CAÇADOR DE SUBSISTÊNCIA", "ATIRADOR");
    private static final List<String> STATUS_PORTE = List.of("ATIVO", "ATIVO", "VENCIDO", "CANCELADO", "SUSPENSO");
    private static final List<String> ABRANGENCIAS = List.of("NACIONAL", "ESTADUAL", "ESTADUAL", "REGIONAL");
    private static final List<String> OCORRENCIAS =
            List.of("FURTO", "FURTO", "ROUBO", "ROUBO", "EXTRAVIO", "APREENSÃO", "RECUPERAÇÃO", "PERDA");

    private SinarmSamples() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "capture-service/src/main/resources/sinarm");
        Files.createDirectories(dir);
        registros(dir.resolve("registros.csv"), REGISTROS_ROWS, 2023, 1);
        portes(dir.resolve("portes.csv"), PORTES_ROWS, 2);
        ocorrencias(dir.resolve("ocorrencias.csv"), OCORRENCIAS_ROWS, 3);
    }

    /** A registros file of {@code rows} data rows; in the sample size, some rows are bad (see BAD_REGISTROS). */
    static void registros(Path file, int rows, int year, long seed) throws IOException {
        Random random = new Random(seed);
        try (Writer out = writer(file)) {
            line(out, REGISTROS_HEADER);
            for (int i = 0; i < rows; i++) {
                Place place = place(random);
                String month = Integer.toString(1 + random.nextInt(12));
                String total = Integer.toString(1 + (random.nextInt(10) < 8 ? 0 : random.nextInt(20)));
                String[] fields = {Integer.toString(year - random.nextInt(2)), month, uf(random, place),
                        odd(random, place.municipio()), odd(random, pick(random, STATUS_REGISTRO)),
                        odd(random, pick(random, ESPECIES)), blankOr(random, pick(random, MARCAS)),
                        blankOr(random, pick(random, CALIBRES)), sexo(random), odd(random, pick(random, CATEGORIAS)),
                        total};
                if (rows == REGISTROS_ROWS && BAD_REGISTROS.contains(i)) {
                    bad(fields, BAD_REGISTROS.indexOf(i));
                }
                row(out, fields);
            }
        }
    }

    private static void bad(String[] fields, int which) {
        switch (which) {
            case 0 -> fields[1] = "13";
            case 1 -> fields[10] = "dois";
            default -> fields[9] = fields[9] + ";EXTRA";
        }
    }

    static void portes(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        try (Writer out = writer(file)) {
            line(out, PORTES_HEADER);
            for (int i = 0; i < rows; i++) {
                Place place = place(random);
                row(out, new String[] {Integer.toString(2023 - random.nextInt(3)),
                        Integer.toString(1 + random.nextInt(12)), uf(random, place), odd(random, place.municipio()),
                        odd(random, pick(random, TIPOS_PORTE)), odd(random, pick(random, STATUS_PORTE)),
                        odd(random, pick(random, ABRANGENCIAS)), odd(random, pick(random, ESPECIES)),
                        blankOr(random, pick(random, MARCAS)), blankOr(random, pick(random, CALIBRES)),
                        sexo(random), Integer.toString(1 + random.nextInt(3))});
            }
        }
    }

    static void ocorrencias(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        try (Writer out = writer(file)) {
            line(out, OCORRENCIAS_HEADER);
            for (int i = 0; i < rows; i++) {
                Place place = place(random);
                row(out, new String[] {Integer.toString(2023 - random.nextInt(3)),
                        Integer.toString(1 + random.nextInt(12)), uf(random, place), odd(random, place.municipio()),
                        odd(random, pick(random, ESPECIES)), blankOr(random, pick(random, MARCAS)),
                        blankOr(random, pick(random, CALIBRES)), odd(random, pick(random, OCORRENCIAS)),
                        place.big() ? "S" : random.nextInt(50) == 0 ? "" : "N",
                        Integer.toString(1 + random.nextInt(4))});
            }
        }
    }

    private static Place place(Random random) {
        // the first places of the list (capitals, big cities) are the most frequent
        int i = Math.min(PLACES.size() - 1, (int) Math.abs(random.nextGaussian() * PLACES.size() / 2.5));
        return PLACES.get(i);
    }

    private static String uf(Random random, Place place) {
        int r = random.nextInt(200);
        return r == 0 ? "" : r == 1 ? " " + place.uf() + " " : place.uf();
    }

    private static String sexo(Random random) {
        int r = random.nextInt(100);
        return r < 70 ? "M" : r < 95 ? "F" : r < 98 ? "" : " ";
    }

    /** The value, sometimes blank. */
    private static String blankOr(Random random, String value) {
        return random.nextInt(40) == 0 ? (random.nextBoolean() ? "" : "  ") : odd(random, value);
    }

    /** The value, sometimes with stray spaces, doubled inner spaces or in lower or mixed case. */
    private static String odd(Random random, String value) {
        return switch (random.nextInt(25)) {
            case 0 -> " " + value;
            case 1 -> value + "  ";
            case 2 -> value.replace(" ", "  ");
            case 3 -> value.toLowerCase(java.util.Locale.ROOT);
            case 4 -> TextCleaner.titleCase(value);
            default -> value;
        };
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.ISO_8859_1),
                1 << 16);
    }

    private static void row(Writer out, String[] fields) throws IOException {
        line(out, String.join(";", fields));
    }

    private static void line(Writer out, String line) throws IOException {
        out.write(line);
        out.write("\r\n");
    }
}
