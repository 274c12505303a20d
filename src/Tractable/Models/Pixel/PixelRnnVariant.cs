namespace Tractable.Models.Pixel;

/// <summary>The recurrent layer of a PixelRNN (van den Oord et al. 2016, arXiv:1601.06759, §3.1–3.2).</summary>
public enum PixelRnnVariant
{
    /// <summary>Row LSTM: rows scanned top to bottom, a triangular context above each pixel (§3.1).</summary>
    RowLstm,

    /// <summary>Diagonal BiLSTM: diagonals scanned in both directions, the whole context of each pixel (§3.2).</summary>
    DiagonalBiLstm,
}
